package com.clinicwave.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The running sandbox as a client of the outside world sees it: discovery, the authorization shortcut, tokens,
 * FHIR paging by the absolute {@code next} links, and the athenahealth-like API.
 */
class ProviderSandboxSystemTests extends SuiteSystemTest {

    static final String SANDBOX = System.getenv().getOrDefault("CLINICWAVE_SANDBOX_URL", "http://localhost:9400");
    static final String CALLBACK = "http://localhost:8080/api/oauth/callback";

    @Test
    void everyProviderAndTheIdpPublishDiscovery() {
        for (String provider : new String[] {"trellis", "epic", "cerner", "athenahealth"}) {
            HttpResponse<String> smart = get(SANDBOX + "/" + provider + "/.well-known/smart-configuration");
            assertThat(smart.statusCode()).isEqualTo(200);
            assertThat(json(smart).path("issuer").asString()).isEqualTo(SANDBOX + "/" + provider);
        }
        HttpResponse<String> idp = get(SANDBOX + "/idp/.well-known/openid-configuration");
        assertThat(json(idp).path("jwks_uri").asString()).isEqualTo(SANDBOX + "/idp/jwks");
    }

    @Test
    void aConnectedClientPagesClaimsByFollowingNextLinks() {
        JsonNode tokens = connect("cerner", "patient-large");
        String bearer = "Bearer " + tokens.path("access_token").asString();

        String next = SANDBOX + "/cerner/fhir/ExplanationOfBenefit?patient=patient-large&_count=500";
        for (int page = 0; page < 3; page++) {
            HttpResponse<String> response = get(next, "Authorization", bearer);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode bundle = json(response);
            assertThat(bundle.path("total").asInt()).isEqualTo(100_000);
            assertThat(bundle.path("entry").size()).isEqualTo(500);
            next = null;
            for (JsonNode link : bundle.path("link")) {
                if (link.path("relation").asString().equals("next")) {
                    next = link.path("url").asString();
                }
            }
            assertThat(next).startsWith(SANDBOX + "/cerner/fhir/ExplanationOfBenefit?");
        }
    }

    @Test
    void athenahealthAnswersTheConnectedPatient() {
        JsonNode tokens = connect("athenahealth", "patient-001");
        String bearer = "Bearer " + tokens.path("access_token").asString();

        HttpResponse<String> balance = get(SANDBOX + "/athenahealth/api/v1/" + tokens.path("practice_id").asString()
                + "/patients/patient-001/balance", "Authorization", bearer);
        assertThat(balance.statusCode()).as(balance.body()).isEqualTo(200);
        assertThat(json(balance).path("currency").asString()).isEqualTo("USD");
    }

    private static JsonNode connect(String provider, String patient) {
        HttpResponse<String> redirect = get(SANDBOX + "/" + provider + "/oauth2/authorize?response_type=code"
                + "&client_id=clinicwave-" + provider + "&redirect_uri=" + CALLBACK + "&state=st"
                + "&sandbox_patient=" + patient + "&sandbox_decision=approve");
        assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
        String query = URI.create(redirect.headers().firstValue("Location").orElseThrow()).getRawQuery();
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        assertThat(params).containsEntry("state", "st").containsEntry("iss", SANDBOX + "/" + provider);

        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", params.get("code"));
        form.put("redirect_uri", CALLBACK);
        HttpResponse<String> token = postForm(SANDBOX + "/" + provider + "/oauth2/token", form, "Authorization",
                "Basic " + Base64.getEncoder().encodeToString(("clinicwave-" + provider + ":sandbox-secret-" + provider)
                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        assertThat(json(token).path("patient").asString()).isEqualTo(patient);
        return json(token);
    }
}
