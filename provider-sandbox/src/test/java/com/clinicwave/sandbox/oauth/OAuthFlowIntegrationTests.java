package com.clinicwave.sandbox.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.clinicwave.sandbox.SandboxIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;

class OAuthFlowIntegrationTests extends SandboxIntegrationTest {

    @Test
    void shortcutApprovalRedirectsWithCodeStateAndIssuer() throws Exception {
        MockHttpServletResponse response = mvc.perform(get("/trellis/oauth2/authorize")
                .param("response_type", "code").param("client_id", "clinicwave-trellis")
                .param("redirect_uri", REDIRECT).param("state", "abc+/=&x").param("sandbox_patient", "patient-007")
                .param("sandbox_decision", "approve")).andReturn().getResponse();

        assertThat(response.getStatus()).isEqualTo(302);
        assertThat(response.getHeader(HttpHeaders.LOCATION)).startsWith(REDIRECT + "?code=");
        Map<String, String> query = query(response.getHeader(HttpHeaders.LOCATION));
        assertThat(query.get("state")).isEqualTo("abc+/=&x");
        assertThat(query.get("iss")).isEqualTo("http://localhost:9400/trellis");
        assertThat(query.get("code")).hasSizeGreaterThanOrEqualTo(40);
    }

    @Test
    void deniedConsentRedirectsWithAccessDenied() throws Exception {
        Map<String, String> query = authorize("epic", "patient-001", "deny", null);

        assertThat(query).containsEntry("error", "access_denied").containsKey("state")
                .containsEntry("iss", "http://localhost:9400/epic").doesNotContainKey("code");
    }

    @Test
    void unregisteredRedirectUriIsRefusedWithoutRedirecting() throws Exception {
        MockHttpServletResponse response = mvc.perform(get("/trellis/oauth2/authorize")
                .param("response_type", "code").param("client_id", "clinicwave-trellis")
                .param("redirect_uri", "https://evil.example/callback").param("sandbox_patient", "patient-001")
                .param("sandbox_decision", "approve")).andReturn().getResponse();

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getHeader(HttpHeaders.LOCATION)).isNull();
        assertThat(JSON.readTree(response.getContentAsString()).get("code").asString())
                .isEqualTo("INVALID_REDIRECT_URI");
    }

    @Test
    void configuredRedirectUriIsAdmittedBesidesTheDefaults() throws Exception {
        MockHttpServletResponse response = mvc.perform(get("/trellis/oauth2/authorize")
                .param("response_type", "code").param("client_id", "clinicwave-trellis")
                .param("redirect_uri", "https://app.example.test/callback").param("sandbox_patient", "patient-001")
                .param("sandbox_decision", "approve")).andReturn().getResponse();

        assertThat(response.getStatus()).isEqualTo(302);
        assertThat(response.getHeader(HttpHeaders.LOCATION)).startsWith("https://app.example.test/callback?code=");
    }

    @Test
    void loginPageEscapesInputAndTheFormApprovesWithThePassword() throws Exception {
        MockHttpServletResponse page = mvc.perform(get("/athenahealth/oauth2/authorize")
                .param("response_type", "code").param("client_id", "clinicwave-athenahealth")
                .param("redirect_uri", REDIRECT).param("state", "<script>alert(1)</script>")).andReturn().getResponse();
        assertThat(page.getStatus()).isEqualTo(200);
        assertThat(page.getContentType()).startsWith("text/html");
        assertThat(page.getContentAsString()).contains("name=\"decision\" value=\"approve\"")
                .contains("value=\"deny\"").doesNotContain("<script>alert(1)</script>")
                .contains("&lt;script&gt;");
        assertThat(page.getHeader("X-Frame-Options")).isEqualTo("DENY");

        MockHttpServletResponse wrong = mvc.perform(form("patient-002", "nope", "approve")).andReturn().getResponse();
        assertThat(wrong.getStatus()).isEqualTo(401);
        assertThat(wrong.getContentAsString()).contains("wrong password");

        MockHttpServletResponse ok = mvc.perform(form("patient-002", "sandbox-password", "approve"))
                .andReturn().getResponse();
        assertThat(ok.getStatus()).isEqualTo(303);
        assertThat(query(ok.getHeader(HttpHeaders.LOCATION))).containsKey("code").containsEntry("state", "s1")
                .containsEntry("iss", "http://localhost:9400/athenahealth");

        MockHttpServletResponse denied = mvc.perform(form("", "", "deny")).andReturn().getResponse();
        assertThat(denied.getStatus()).isEqualTo(303);
        assertThat(query(denied.getHeader(HttpHeaders.LOCATION))).containsEntry("error", "access_denied");
    }

    @Test
    void pkceVerifierIsCheckedAndTheTokenResponseNamesThePatient() throws Exception {
        String verifier = verifier();
        String code = authorize("trellis", "patient-003", "approve", challenge(verifier)).get("code");

        JsonNode wrong = token("trellis", code, verifier());
        assertThat(wrong.get("error").asString()).isEqualTo("invalid_grant");

        // The failed attempt consumed the code (single use even when the verifier was wrong).
        String code2 = authorize("trellis", "patient-003", "approve", challenge(verifier)).get("code");
        JsonNode tokens = token("trellis", code2, verifier);
        assertThat(tokens.get("access_token").asString()).isNotBlank();
        assertThat(tokens.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(tokens.get("expires_in").asLong()).isEqualTo(3600);
        assertThat(tokens.get("patient").asString()).isEqualTo("patient-003");
        assertThat(tokens.get("scope").asString()).contains("patient/*.read");
        assertThat(tokens.get("refresh_token").asString()).isNotBlank();
        assertThat(tokens.get("id_token").asString()).isNotBlank();
    }

    @Test
    void aVerifierWithoutAChallengeIsADowngradeAndRefused() throws Exception {
        String code = authorize("trellis", "patient-003", "approve", null).get("code");

        assertThat(token("trellis", code, verifier()).get("error").asString()).isEqualTo("invalid_grant");
    }

    @Test
    void aClientConfiguredForPkceCannotSkipIt() throws Exception {
        Map<String, String> query = authorize("cerner", "patient-003", "approve", null);

        assertThat(query).containsEntry("error", "invalid_request").doesNotContainKey("code");
    }

    @Test
    void plainPkceIsNotSupported() throws Exception {
        MockHttpServletResponse response = mvc.perform(get("/epic/oauth2/authorize").param("response_type", "code")
                .param("client_id", "clinicwave-epic").param("redirect_uri", REDIRECT)
                .param("code_challenge", verifier()).param("code_challenge_method", "plain")
                .param("sandbox_patient", "patient-001").param("sandbox_decision", "approve")).andReturn().getResponse();

        assertThat(query(response.getHeader(HttpHeaders.LOCATION))).containsEntry("error", "invalid_request");
    }

    @Test
    void codesAreSingleUseAndAReplayRevokesWhatTheCodeGave() throws Exception {
        String code = authorize("epic", "patient-004", "approve", null).get("code");
        JsonNode tokens = token("epic", code, null);
        String access = tokens.get("access_token").asString();
        assertThat(fhirPatient("epic", "patient-004", access)).isEqualTo(200);

        assertThat(token("epic", code, null).get("error").asString()).isEqualTo("invalid_grant");
        assertThat(fhirPatient("epic", "patient-004", access)).isEqualTo(401);
        assertThat(refresh("epic", tokens.get("refresh_token").asString()).get("error").asString())
                .isEqualTo("invalid_grant");
    }

    @Test
    void codesExpireAfterSixtySeconds() throws Exception {
        String code = authorize("epic", "patient-004", "approve", null).get("code");
        clock.advance(seconds(61));

        assertThat(token("epic", code, null).get("error").asString()).isEqualTo("invalid_grant");
    }

    @Test
    void refreshTokensRotateAndAReusedOneRevokesTheFamily() throws Exception {
        JsonNode first = connect("cerner", "patient-005");
        JsonNode second = refresh("cerner", first.get("refresh_token").asString());
        assertThat(second.get("access_token").asString()).isNotEqualTo(first.get("access_token").asString());
        assertThat(second.get("refresh_token").asString()).isNotEqualTo(first.get("refresh_token").asString());
        assertThat(second.get("patient").asString()).isEqualTo("patient-005");
        assertThat(fhirPatient("cerner", "patient-005", second.get("access_token").asString())).isEqualTo(200);

        // The rotated-out token is dead, and presenting it again is treated as theft: the family ends.
        assertThat(refresh("cerner", first.get("refresh_token").asString()).get("error").asString())
                .isEqualTo("invalid_grant");
        assertThat(fhirPatient("cerner", "patient-005", second.get("access_token").asString())).isEqualTo(401);
        assertThat(refresh("cerner", second.get("refresh_token").asString()).get("error").asString())
                .isEqualTo("invalid_grant");
    }

    @Test
    void concurrentRefreshesWithOneTokenLetExactlyOneThrough() throws Exception {
        String refreshToken = connect("epic", "patient-011").get("refresh_token").asString();

        List<Callable<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(() -> refresh("epic", refreshToken));
        }
        List<JsonNode> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            for (Future<JsonNode> future : pool.invokeAll(calls)) {
                results.add(future.get());
            }
        }

        assertThat(results.stream().filter(r -> r.has("access_token")).count()).isEqualTo(1);
        assertThat(results.stream().filter(r -> r.has("error"))).allSatisfy(r ->
                assertThat(r.get("error").asString()).isEqualTo("invalid_grant"));
    }

    @Test
    void clientSecretPostAuthenticatesAndAWrongSecretIsInvalidClient() throws Exception {
        String code = authorize("trellis", "patient-006", "approve", null).get("code");
        MockHttpServletResponse wrong = mvc.perform(post("/trellis/oauth2/token").param("grant_type",
                "authorization_code").param("code", code).param("redirect_uri", REDIRECT)
                .param("client_id", "clinicwave-trellis").param("client_secret", "wrong")).andReturn().getResponse();
        assertThat(wrong.getStatus()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.getContentAsString()).get("error").asString()).isEqualTo("invalid_client");

        String code2 = authorize("trellis", "patient-006", "approve", null).get("code");
        MockHttpServletResponse ok = mvc.perform(post("/trellis/oauth2/token").param("grant_type",
                "authorization_code").param("code", code2).param("redirect_uri", REDIRECT)
                .param("client_id", "clinicwave-trellis").param("client_secret", "sandbox-secret-trellis"))
                .andReturn().getResponse();
        assertThat(ok.getStatus()).isEqualTo(200);
        assertThat(ok.getHeader(HttpHeaders.CACHE_CONTROL)).contains("no-store");
    }

    @Test
    void privateKeyJwtIsVerifiedAgainstTheClientsJwksUrlAndCannotBeReplayed() throws Exception {
        String code = authorize("epic", "patient-008", "approve", null).get("code");
        String assertion = clientAssertion(CLIENT_KEY, "clinicwave-epic", "http://localhost:9400/epic/oauth2/token");
        MockHttpServletResponse ok = mvc.perform(jwtToken(code, assertion)).andReturn().getResponse();
        assertThat(ok.getStatus()).as(ok.getContentAsString()).isEqualTo(200);
        assertThat(JSON.readTree(ok.getContentAsString()).get("patient").asString()).isEqualTo("patient-008");

        String code2 = authorize("epic", "patient-008", "approve", null).get("code");
        MockHttpServletResponse replay = mvc.perform(jwtToken(code2, assertion)).andReturn().getResponse();
        assertThat(replay.getStatus()).isEqualTo(401);

        String forged = clientAssertion(OTHER_KEY, "clinicwave-epic", "http://localhost:9400/epic/oauth2/token");
        assertThat(mvc.perform(jwtToken(code2, forged)).andReturn().getResponse().getStatus()).isEqualTo(401);

        String wrongAudience = clientAssertion(CLIENT_KEY, "clinicwave-epic", "http://localhost:9400/cerner/oauth2/token");
        assertThat(mvc.perform(jwtToken(code2, wrongAudience)).andReturn().getResponse().getStatus()).isEqualTo(401);
    }

    @Test
    void twoClientAuthenticationMethodsAtOnceAreRefused() throws Exception {
        MockHttpServletResponse response = mvc.perform(post("/epic/oauth2/token")
                .header(HttpHeaders.AUTHORIZATION, basic("epic")).param("client_secret", "sandbox-secret-epic")
                .param("grant_type", "authorization_code").param("code", "x")).andReturn().getResponse();

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(JSON.readTree(response.getContentAsString()).get("error").asString()).isEqualTo("invalid_request");
    }

    @Test
    void revokingTheRefreshTokenEndsAccessToo() throws Exception {
        JsonNode tokens = connect("trellis", "patient-009");
        MockHttpServletResponse revoked = mvc.perform(post("/trellis/oauth2/revoke")
                .header(HttpHeaders.AUTHORIZATION, basic("trellis"))
                .param("token", tokens.get("refresh_token").asString()).param("token_type_hint", "refresh_token"))
                .andReturn().getResponse();
        assertThat(revoked.getStatus()).isEqualTo(200);

        assertThat(fhirPatient("trellis", "patient-009", tokens.get("access_token").asString())).isEqualTo(401);
        assertThat(refresh("trellis", tokens.get("refresh_token").asString()).get("error").asString())
                .isEqualTo("invalid_grant");
        // RFC 7009 §2.2: an unknown token is not an error.
        assertThat(mvc.perform(post("/trellis/oauth2/revoke").header(HttpHeaders.AUTHORIZATION, basic("trellis"))
                .param("token", "unknown")).andReturn().getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void discoveryDocumentsDescribeEachProvider() throws Exception {
        JsonNode smart = JSON.readTree(mvc.perform(get("/epic/.well-known/smart-configuration")).andReturn()
                .getResponse().getContentAsString());
        assertThat(smart.get("issuer").asString()).isEqualTo("http://localhost:9400/epic");
        assertThat(smart.get("token_endpoint").asString()).isEqualTo("http://localhost:9400/epic/oauth2/token");
        assertThat(smart.get("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        assertThat(smart.get("authorization_response_iss_parameter_supported").asBoolean()).isTrue();
        assertThat(smart.get("capabilities").toString()).contains("client-confidential-asymmetric");

        JsonNode oidc = JSON.readTree(mvc.perform(get("/athenahealth/.well-known/openid-configuration")).andReturn()
                .getResponse().getContentAsString());
        assertThat(oidc.get("authorization_endpoint").asString())
                .isEqualTo("http://localhost:9400/athenahealth/oauth2/authorize");
        assertThat(oidc.get("token_endpoint_auth_methods_supported").toString()).contains("private_key_jwt");

        assertThat(mvc.perform(get("/nowhere/.well-known/smart-configuration")).andReturn().getResponse()
                .getStatus()).isEqualTo(404);
    }

    @Test
    void athenahealthTokensCarryThePracticeId() throws Exception {
        JsonNode tokens = connect("athenahealth", "patient-010");

        assertThat(tokens.get("patient").asString()).isEqualTo("patient-010");
        assertThat(tokens.get("practice_id").asString()).isEqualTo("195900");
    }

    private MockHttpServletRequestBuilder form(String username, String password, String decision) {
        return post("/athenahealth/oauth2/authorize").param("response_type", "code")
                .param("client_id", "clinicwave-athenahealth").param("redirect_uri", REDIRECT).param("state", "s1")
                .param("username", username).param("password", password).param("decision", decision);
    }

    private MockHttpServletRequestBuilder jwtToken(String code, String assertion) {
        return post("/epic/oauth2/token").param("grant_type", "authorization_code").param("code", code)
                .param("redirect_uri", REDIRECT)
                .param("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .param("client_assertion", assertion);
    }

    private JsonNode token(String provider, String code, String verifier) throws Exception {
        MockHttpServletRequestBuilder request = post("/" + provider + "/oauth2/token")
                .header(HttpHeaders.AUTHORIZATION, basic(provider)).param("grant_type", "authorization_code")
                .param("code", code).param("redirect_uri", REDIRECT);
        if (verifier != null) {
            request.param("code_verifier", verifier);
        }
        return JSON.readTree(mvc.perform(request).andReturn().getResponse().getContentAsString());
    }

    private JsonNode refresh(String provider, String refreshToken) throws Exception {
        return JSON.readTree(mvc.perform(post("/" + provider + "/oauth2/token")
                .header(HttpHeaders.AUTHORIZATION, basic(provider)).param("grant_type", "refresh_token")
                .param("refresh_token", refreshToken)).andReturn().getResponse().getContentAsString());
    }

    private int fhirPatient(String provider, String patient, String accessToken) throws Exception {
        return mvc.perform(get("/" + provider + "/fhir/Patient/" + patient)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken)).andReturn().getResponse().getStatus();
    }
}
