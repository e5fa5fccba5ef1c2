package com.clinicwave.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 items 1 and 2 performed through the public gateway against the running suite: the connect-flow hijack
 * (the attacker initiates, a victim approves at the sandbox provider, the victim's browser and the victim's token
 * try to finish) links nothing in either account; a tenant admin cannot touch the provider catalog; the catalog's
 * client secrets are never answered.
 */
class ConnectFlowSecuritySystemTests extends SuiteSystemTest {

    private static final String REDIRECT = "http://127.0.0.1:5173/connections/done";

    /** A fresh patient of the local tenant, the victim. */
    private static String registerVictim() {
        String username = "victim-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "Victim-pass-" + UUID.randomUUID().toString().substring(0, 6) + "!9";
        HttpResponse<String> registered = postJson(GATEWAY + "/api/v1/auth/register",
                Map.of("username", username, "password", password, "tenant", DemoUser.TENANT));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        HttpResponse<String> login = postJson(GATEWAY + "/api/v1/auth/login",
                Map.of("username", username, "password", password, "tenant", DemoUser.TENANT));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return json(login).path("access_token").asString();
    }

    private static int connections(String bearer) {
        return json(get(GATEWAY + "/api/connections", "Authorization", bearer)).path("connections").size();
    }

    @Test
    void aHijackedConnectFlowLinksNothingInEitherAccount() {
        String attacker = "Bearer " + DemoUser.accessToken();
        String victim = "Bearer " + registerVictim();
        int attackerBefore = connections(attacker);
        int victimBefore = connections(victim);

        // The attacker starts a flow and sends its oauth_url to the victim, who approves at the provider.
        HttpResponse<String> initiated = postJson(GATEWAY + "/api/oauth/initiate",
                Map.of("provider_key", "trellis", "redirect_url", REDIRECT), "Authorization", attacker);
        assertThat(initiated.statusCode()).as(initiated.body()).isEqualTo(200);
        String callback = ProviderConnectionSystemTests.authorize(json(initiated).path("oauth_url").asString(),
                "approve");

        // The victim's browser lands on the callback without any token: nothing is completed.
        HttpResponse<String> asJson = get(callback, "Accept", "application/json");
        assertThat(asJson.statusCode()).as(asJson.body()).isEqualTo(401);
        assertThat(json(asJson).path("code").asString()).isEqualTo("CONNECT_PROOF_REQUIRED");
        HttpResponse<String> back = get(callback, "Accept", "text/html");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        Map<String, String> returned = ProviderConnectionSystemTests.query(
                back.headers().firstValue("Location").orElseThrow());
        assertThat(returned).containsEntry("status", "awaiting_completion").doesNotContainKey("connection_id");

        // The victim's signed-in app tries to finish the attacker's flow: refused, and the flow is dead.
        HttpResponse<String> victimTry = postJson(GATEWAY + "/api/oauth/complete",
                Map.of("state", returned.get("state"), "code", returned.get("code")), "Authorization", victim);
        assertThat(victimTry.statusCode()).as(victimTry.body()).isEqualTo(403);
        assertThat(json(victimTry).path("code").asString()).isEqualTo("CONNECT_FLOW_FORBIDDEN");
        HttpResponse<String> attackerTry = postJson(GATEWAY + "/api/oauth/complete",
                Map.of("state", returned.get("state"), "code", returned.get("code")), "Authorization", attacker);
        assertThat(attackerTry.statusCode()).as(attackerTry.body()).isEqualTo(400);
        assertThat(json(attackerTry).path("code").asString()).isEqualTo("OAUTH_STATE_INVALID");

        assertThat(connections(attacker)).isEqualTo(attackerBefore);
        assertThat(connections(victim)).isEqualTo(victimBefore);
    }

    @Test
    void theVictimsBearerOnTheCallbackIsForbidden() {
        String attacker = "Bearer " + DemoUser.accessToken();
        String victim = "Bearer " + registerVictim();
        int attackerBefore = connections(attacker);
        HttpResponse<String> initiated = postJson(GATEWAY + "/api/oauth/initiate",
                Map.of("provider_key", "cerner", "redirect_url", REDIRECT), "Authorization", attacker);
        assertThat(initiated.statusCode()).as(initiated.body()).isEqualTo(200);
        String callback = ProviderConnectionSystemTests.authorize(json(initiated).path("oauth_url").asString(),
                "approve");
        HttpResponse<String> withVictimToken = get(callback, "Accept", "application/json", "Authorization", victim);
        assertThat(withVictimToken.statusCode()).as(withVictimToken.body()).isEqualTo(403);
        assertThat(json(withVictimToken).path("code").asString()).isEqualTo("CONNECT_FLOW_FORBIDDEN");
        HttpResponse<String> late = get(callback, "Accept", "application/json", "Authorization", attacker);
        assertThat(json(late).path("code").asString()).isEqualTo("OAUTH_STATE_INVALID");
        assertThat(connections(attacker)).isEqualTo(attackerBefore);
        assertThat(connections(victim)).isZero();
    }

    @Test
    void aTenantAdminCannotChangeTheProviderCatalog() {
        HttpResponse<String> login = postJson(GATEWAY + "/api/v1/auth/login",
                Map.of("username", "admin", "password", "admin-password-1", "tenant", DemoUser.TENANT));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String admin = "Bearer " + json(login).path("access_token").asString();
        Map<String, Object> hostile = new java.util.LinkedHashMap<>();
        hostile.put("name", "Trellis Healthcare");
        hostile.put("provider_type", "fhir");
        hostile.put("authorization_url", "https://auth.trellishealth.com/oauth2/authorize");
        hostile.put("token_url", "https://attacker.example/harvest");
        hostile.put("client_id", "clinicwave-trellis");
        hostile.put("client_auth_method", "client_secret_post");
        hostile.put("scopes", "patient/*.read");
        HttpResponse<String> put = send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(GATEWAY + "/api/admin/providers/trellis"))
                .header("Authorization", admin).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(hostile))).build());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(403);
        assertThat(json(put).path("code").asString()).isEqualTo("INSUFFICIENT_PERMISSIONS");
        HttpResponse<String> read = get(GATEWAY + "/api/admin/providers", "Authorization", admin);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(403);
        // The public catalog still points trellis at the sandbox, never at the attacker.
        assertThat(get(GATEWAY + "/api/providers/trellis/oauth-config").body()).doesNotContain("attacker.example")
                .doesNotContain("secret");
    }
}
