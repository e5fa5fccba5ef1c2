package com.clinicwave.sandbox.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import com.clinicwave.sandbox.SandboxIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;

class FaultInjectionIntegrationTests extends SandboxIntegrationTest {

    @Test
    void theNextNRequestsFailThenTheApiRecovers() throws Exception {
        String token = connect("epic", "patient-030").get("access_token").asString();
        fault("epic", "fhir", "{\"status\":503,\"times\":2,\"retry_after_seconds\":3}");

        MockHttpServletResponse first = patient("epic", "patient-030", token);
        assertThat(first.getStatus()).isEqualTo(503);
        assertThat(first.getHeader(HttpHeaders.RETRY_AFTER)).isEqualTo("3");
        assertThat(JSON.readTree(first.getContentAsString()).get("code").asString()).isEqualTo("SANDBOX_FAULT");
        assertThat(patient("epic", "patient-030", token).getStatus()).isEqualTo(503);
        assertThat(patient("epic", "patient-030", token).getStatus()).isEqualTo(200);

        JsonNode listed = JSON.readTree(mvc.perform(get("/sandbox/admin/faults")).andReturn().getResponse()
                .getContentAsString());
        assertThat(listed.get("epic/fhir").get("errors_injected").asInt()).isEqualTo(2);
    }

    @Test
    void anErrorRateFailsEveryNthRequestDeterministically() throws Exception {
        String token = connect("trellis", "patient-031").get("access_token").asString();
        fault("trellis", "fhir", "{\"status\":500,\"error_rate\":0.5}");

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(patient("trellis", "patient-031", token).getStatus());
        }
        assertThat(statuses).containsExactly(200, 500, 200, 500);
    }

    @Test
    void tooManyRequestsCarriesRetryAfterAndTokenErrorsStayOAuthShaped() throws Exception {
        fault("cerner", "token", "{\"status\":429}");
        String verifier = verifier();
        String code = authorize("cerner", "patient-032", "approve", challenge(verifier)).get("code");

        MockHttpServletResponse response = mvc.perform(post("/cerner/oauth2/token")
                .header(HttpHeaders.AUTHORIZATION, basic("cerner")).param("grant_type", "authorization_code")
                .param("code", code).param("redirect_uri", REDIRECT).param("code_verifier", verifier))
                .andReturn().getResponse();

        assertThat(response.getStatus()).isEqualTo(429);
        assertThat(response.getHeader(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(JSON.readTree(response.getContentAsString()).get("error").asString())
                .isEqualTo("temporarily_unavailable");
    }

    @Test
    void earlyExpiryShortensIssuedTokens() throws Exception {
        fault("athenahealth", "token", "{\"expires_in\":5}");
        JsonNode tokens = connect("athenahealth", "patient-033");
        assertThat(tokens.get("expires_in").asLong()).isEqualTo(5);

        clock.advance(seconds(6));
        MockHttpServletResponse expired = mvc.perform(get("/athenahealth/api/v1/195900/patients/patient-033")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.get("access_token").asString()))
                .andReturn().getResponse();
        assertThat(expired.getStatus()).isEqualTo(401);
        assertThat(JSON.readTree(expired.getContentAsString()).get("code").asString()).isEqualTo("TOKEN_EXPIRED");
    }

    @Test
    void invalidGrantOnRefreshEndsTheGrantEvenAfterReset() throws Exception {
        JsonNode tokens = connect("trellis", "patient-034");
        fault("trellis", "token", "{\"invalid_grant_on_refresh\":true}");

        JsonNode refused = refresh("trellis", tokens.get("refresh_token").asString());
        assertThat(refused.get("error").asString()).isEqualTo("invalid_grant");

        mvc.perform(delete("/sandbox/admin/faults"));
        assertThat(refresh("trellis", tokens.get("refresh_token").asString()).get("error").asString())
                .isEqualTo("invalid_grant");
        JsonNode fresh = connect("trellis", "patient-034");
        assertThat(refresh("trellis", fresh.get("refresh_token").asString()).get("access_token")).isNotNull();
    }

    @Test
    void latencyDelaysButStillServes() throws Exception {
        String token = connect("epic", "patient-035").get("access_token").asString();
        fault("epic", "*", "{\"latency_ms\":20}");

        assertThat(patient("epic", "patient-035", token).getStatus()).isEqualTo(200);
    }

    @Test
    void faultSpecsAreValidated() throws Exception {
        assertThat(mvc.perform(put("/sandbox/admin/faults/epic/fhir").contentType(MediaType.APPLICATION_JSON)
                .content("{\"status\":200}")).andReturn().getResponse().getStatus()).isEqualTo(400);
        assertThat(mvc.perform(put("/sandbox/admin/faults/epic/nothing").contentType(MediaType.APPLICATION_JSON)
                .content("{\"status\":500}")).andReturn().getResponse().getStatus()).isEqualTo(400);
        assertThat(mvc.perform(put("/sandbox/admin/faults/nowhere/fhir").contentType(MediaType.APPLICATION_JSON)
                .content("{\"status\":500}")).andReturn().getResponse().getStatus()).isEqualTo(404);
    }

    @Test
    void badAdminRequestsAreClearProblems() throws Exception {
        MockHttpServletResponse malformed = mvc.perform(put("/sandbox/admin/faults/epic/fhir")
                .contentType(MediaType.APPLICATION_JSON).content("{not json")).andReturn().getResponse();
        assertThat(malformed.getStatus()).isEqualTo(400);
        assertThat(malformed.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);

        assertThat(mvc.perform(post("/sandbox/admin/data/epic/patients/patient-001/touch")
                .contentType(MediaType.APPLICATION_JSON).content("{\"claim_ids\":[\"epic-patient-001-999999\"]}"))
                .andReturn().getResponse().getStatus()).isEqualTo(404);
        assertThat(mvc.perform(post("/sandbox/admin/data/epic/patients/patient-001/touch")
                .contentType(MediaType.APPLICATION_JSON).content("{\"count\":1,\"status\":\"lost\"}"))
                .andReturn().getResponse().getStatus()).isEqualTo(400);
        assertThat(mvc.perform(get("/sandbox/admin/data/epic/patients/patient-999")).andReturn().getResponse()
                .getStatus()).isEqualTo(404);
    }

    private void fault(String provider, String api, String json) throws Exception {
        MockHttpServletResponse response = mvc.perform(put("/sandbox/admin/faults/" + provider + "/" + api)
                .contentType(MediaType.APPLICATION_JSON).content(json)).andReturn().getResponse();
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
    }

    private MockHttpServletResponse patient(String provider, String patient, String token) throws Exception {
        return mvc.perform(get("/" + provider + "/fhir/Patient/" + patient)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)).andReturn().getResponse();
    }

    private JsonNode refresh(String provider, String refreshToken) throws Exception {
        return JSON.readTree(mvc.perform(post("/" + provider + "/oauth2/token")
                .header(HttpHeaders.AUTHORIZATION, basic(provider)).param("grant_type", "refresh_token")
                .param("refresh_token", refreshToken)).andReturn().getResponse().getContentAsString());
    }
}
