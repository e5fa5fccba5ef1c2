package com.clinicwave.sandbox.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.clinicwave.sandbox.SandboxIntegrationTest;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;

class AthenaIntegrationTests extends SandboxIntegrationTest {

    private static final String BASE = "/athenahealth/api/v1/195900/patients/";

    @Test
    void patientAppointmentsAndBalanceAnswerForTheTokensPatient() throws Exception {
        String token = connect("athenahealth", "patient-020").get("access_token").asString();

        JsonNode patient = json(BASE + "patient-020", token);
        assertThat(patient.get("patientid").asString()).isEqualTo("patient-020");
        assertThat(patient.get("firstname").asString()).isNotBlank();
        JsonNode appointments = json(BASE + "patient-020/appointments", token);
        assertThat(appointments.get("appointments").size()).isEqualTo(appointments.get("totalcount").asInt())
                .isPositive();
        JsonNode balance = json(BASE + "patient-020/balance", token);
        assertThat(balance.get("balance").asString()).matches("\\d+\\.\\d{2}");
        assertThat(balance.get("currency").asString()).isEqualTo("USD");
    }

    @Test
    void claimsPageWithAnOpaqueToken() throws Exception {
        String token = connect("athenahealth", "patient-021").get("access_token").asString();

        Set<String> ids = new HashSet<>();
        String pageToken = null;
        long total = -1;
        do {
            clock.advance(seconds(1));
            JsonNode page = json(BASE + "patient-021/claims?limit=25"
                    + (pageToken == null ? "" : "&page_token=" + pageToken), token);
            total = page.get("totalcount").asLong();
            page.get("claims").forEach(c -> {
                assertThat(c.get("totalamount").asString()).matches("\\d+\\.\\d{2}");
                assertThat(c.get("claimtype").asString()).isIn("medical", "dental", "pharmacy", "vision");
                ids.add(c.get("claimid").asString());
            });
            pageToken = page.get("next_page_token").isNull() ? null : page.get("next_page_token").asString();
        } while (pageToken != null);

        assertThat(ids).hasSize((int) total);
    }

    @Test
    void moreThanTenCallsInOneSecondAreRateLimitedWithRetryAfter() throws Exception {
        String token = connect("athenahealth", "patient-022").get("access_token").asString();
        clock.advance(seconds(1));

        for (int i = 0; i < 10; i++) {
            assertThat(call(BASE + "patient-022/balance", token).getStatus()).isEqualTo(200);
        }
        MockHttpServletResponse limited = call(BASE + "patient-022/balance", token);
        assertThat(limited.getStatus()).isEqualTo(429);
        assertThat(limited.getHeader(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(JSON.readTree(limited.getContentAsString()).get("code").asString()).isEqualTo("RATE_LIMITED");

        clock.advance(seconds(1));
        assertThat(call(BASE + "patient-022/balance", token).getStatus()).isEqualTo(200);
    }

    @Test
    void anotherPatientOrPracticeOrProviderTokenIsRefused() throws Exception {
        String token = connect("athenahealth", "patient-023").get("access_token").asString();
        String fhirToken = connect("epic", "patient-023").get("access_token").asString();
        clock.advance(seconds(1));

        assertThat(call(BASE + "patient-024", token).getStatus()).isEqualTo(403);
        assertThat(call("/athenahealth/api/v1/1/patients/patient-023", token).getStatus()).isEqualTo(404);
        assertThat(call(BASE + "patient-023", fhirToken).getStatus()).isEqualTo(401);
        assertThat(call(BASE + "patient-023", null).getStatus()).isEqualTo(401);
    }

    private JsonNode json(String url, String token) throws Exception {
        MockHttpServletResponse response = call(url, token);
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        return JSON.readTree(response.getContentAsString());
    }

    private MockHttpServletResponse call(String url, String token) throws Exception {
        var request = get(url);
        if (token != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        return mvc.perform(request).andReturn().getResponse();
    }
}
