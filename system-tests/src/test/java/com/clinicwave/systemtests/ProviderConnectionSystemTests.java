package com.clinicwave.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Issue 5's acceptance, through the gateway as the logged-in demo user, for each sandbox provider: list providers,
 * terms, initiate, follow the authorization URL with the sandbox shortcut, the browser's callback (no token: it hands
 * state and code back to the app), {@code POST /api/oauth/complete} as the initiator, the connection active in the
 * list, refresh, delete; and with consent denied, no connection and a clear error.
 */
class ProviderConnectionSystemTests extends SuiteSystemTest {

    private static final String REDIRECT = "http://127.0.0.1:5173/connections/done";

    @ParameterizedTest(name = "connect, refresh and delete {0}")
    @ValueSource(strings = {"trellis", "epic", "cerner", "athenahealth"})
    void connectRefreshAndDelete(String provider) {
        String token = DemoUser.accessToken();
        String bearer = "Bearer " + token;
        JsonNode providers = json(get(GATEWAY + "/api/providers"));
        assertThat(providers.path("providers").valueStream().map(p -> p.path("provider_key").asString()))
                .contains(provider);
        HttpResponse<String> terms = get(GATEWAY + "/api/providers/" + provider + "/terms");
        assertThat(terms.statusCode()).as(terms.body()).isEqualTo(200);
        String version = json(terms).path("version").asString();

        HttpResponse<String> initiated = postJson(GATEWAY + "/api/oauth/initiate", Map.of("provider_key", provider,
                "redirect_url", REDIRECT, "accepted_terms_version", version), "Authorization", bearer);
        assertThat(initiated.statusCode()).as(initiated.body()).isEqualTo(200);
        String callback = authorize(json(initiated).path("oauth_url").asString(), "approve");

        // The web journey: the browser comes back without a token, so the callback completes nothing and hands the
        // browser back to the app with state and code; the app, signed in as the initiator, finishes the flow.
        HttpResponse<String> back = get(callback, "Accept", "text/html");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        String location = back.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT + "?");
        Map<String, String> returned = query(location);
        assertThat(returned).containsEntry("status", "awaiting_completion").containsEntry("provider_key", provider);
        Map<String, String> complete = new java.util.LinkedHashMap<>();
        complete.put("state", returned.get("state"));
        complete.put("code", returned.get("code"));
        if (returned.containsKey("iss")) {
            complete.put("iss", returned.get("iss"));
        }
        HttpResponse<String> done = postJson(GATEWAY + "/api/oauth/complete", complete, "Authorization", bearer);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
        assertThat(json(done).path("success").asBoolean()).isTrue();
        assertThat(json(done).path("provider_key").asString()).isEqualTo(provider);
        String id = json(done).path("connection_id").asString();

        JsonNode mine = json(get(GATEWAY + "/api/connections", "Authorization", bearer)).path("connections");
        JsonNode connection = mine.valueStream().filter(c -> c.path("id").asString().equals(id)).findFirst()
                .orElseThrow();
        assertThat(connection.path("status").asString()).isEqualTo("active");

        HttpResponse<String> refreshed = postJson(GATEWAY + "/api/oauth/token/refresh", Map.of("connection_id", id),
                "Authorization", bearer);
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        assertThat(json(refreshed).path("status").asString()).isEqualTo("active");
        assertThat(refreshed.body()).doesNotContain("access_token");

        HttpResponse<String> deleted = send(java.net.http.HttpRequest.newBuilder(URI.create(GATEWAY
                + "/api/connections/" + id)).header("Authorization", bearer).DELETE().build());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(get(GATEWAY + "/api/connections", "Authorization", bearer).body()).doesNotContain(id);
    }

    @ParameterizedTest(name = "consent denied at {0}")
    @ValueSource(strings = {"trellis", "epic", "cerner", "athenahealth"})
    void deniedConsentMakesNoConnection(String provider) {
        String bearer = "Bearer " + DemoUser.accessToken();
        int before = json(get(GATEWAY + "/api/connections", "Authorization", bearer)).path("connections").size();
        HttpResponse<String> initiated = postJson(GATEWAY + "/api/oauth/initiate", Map.of("provider_key", provider,
                "redirect_url", REDIRECT), "Authorization", bearer);
        assertThat(initiated.statusCode()).as(initiated.body()).isEqualTo(200);
        String callback = authorize(json(initiated).path("oauth_url").asString(), "deny");

        HttpResponse<String> done = get(callback, "Accept", "application/json");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(400);
        assertThat(json(done).path("code").asString()).isEqualTo("PROVIDER_CONSENT_DENIED");
        assertThat(json(get(GATEWAY + "/api/connections", "Authorization", bearer)).path("connections").size())
                .isEqualTo(before);
    }

    static Map<String, String> query(String url) {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(java.net.URLDecoder.decode(kv[0], java.nio.charset.StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(kv.length > 1 ? kv[1] : "", java.nio.charset.StandardCharsets.UTF_8));
        }
        return params;
    }

    /** Follows the authorization URL with the sandbox's automation shortcut; returns the callback URL it redirects to. */
    static String authorize(String oauthUrl, String decision) {
        HttpResponse<String> authorize = get(oauthUrl + "&sandbox_patient=patient-001&sandbox_decision=" + decision);
        assertThat(authorize.statusCode()).as(authorize.body()).isBetween(302, 303);
        String location = authorize.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(GATEWAY + "/api/oauth/callback?");
        return location;
    }
}
