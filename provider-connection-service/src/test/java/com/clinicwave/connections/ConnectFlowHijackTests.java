package com.clinicwave.connections;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 1, performed: an attacker starts a connect flow with their own token and has a victim approve it at
 * the provider. The provider's redirect reaches our callback from the victim's browser, with neither the attacker's
 * bearer nor the session token — it must link nothing, anywhere; and nobody but the initiator can finish the flow.
 * The legitimate paths (initiator's bearer, session token, anonymous callback then {@code /complete}, the mobile
 * redirect) keep working.
 */
class ConnectFlowHijackTests extends IntegrationTestSupport {

    private String stateOf(Response initiated) {
        assertThat(initiated.status()).as(initiated.body().toString()).isEqualTo(200);
        return query(initiated.body().path("oauth_url").asString()).get("state");
    }

    private long codeExchanges(String provider, String code) {
        return PROVIDERS.findAll(postRequestedFor(urlPathEqualTo("/" + provider + "/oauth2/token"))
                .withRequestBody(containing("code=" + code))).size();
    }

    private long audited(String action, String outcome, String consumer) {
        return jdbc.sql("select count(*) from audit_event where action = :a and outcome = :o and consumer_id = :c")
                .param("a", action).param("o", outcome).param("c", UUID.fromString(consumer))
                .query(Long.class).single();
    }

    @Test
    void anonymousCallbackWithTheVictimsCodeLinksNothingInEitherAccount() {
        String attacker = newUser();
        String victim = newUser();
        String state = stateOf(initiate("trellis", attacker));
        String code = "victim-code-" + UUID.randomUUID();
        stubCodeExchange("trellis", code, "at-victim", "rt-victim", 3600);

        // The victim's browser comes back from the provider: no bearer, no session token.
        Response browser = get("/api/oauth/callback?code=" + code + "&state=" + state, null,
                "Accept", "text/html,*/*");
        assertThat(browser.status()).isEqualTo(302);
        Map<String, String> back = query(browser.raw().headers().firstValue("Location").orElseThrow());
        assertThat(back).containsEntry("status", "awaiting_completion").containsEntry("provider_key", "trellis")
                .containsEntry("state", state).containsEntry("code", code).doesNotContainKey("connection_id");
        // The same request asking for JSON gets a problem, not a connection.
        Response json = get("/api/oauth/callback?code=" + code + "&state=" + state, null, "Accept", "application/json");
        assertThat(json.status()).isEqualTo(401);
        assertThat(json.code()).isEqualTo("CONNECT_PROOF_REQUIRED");
        assertThat(json.raw().headers().firstValue("Content-Type").orElseThrow()).contains("application/problem+json");

        // Nothing was exchanged and nothing is linked, in either account.
        assertThat(codeExchanges("trellis", code)).isZero();
        assertThat(connectionCount(attacker)).isZero();
        assertThat(connectionCount(victim)).isZero();
        assertThat(jdbc.sql("select count(*) from connection where consumer_id in (:a, :v)")
                .param("a", UUID.fromString(attacker)).param("v", UUID.fromString(victim))
                .query(Long.class).single()).isZero();
        assertThat(audited("oauth.callback", "awaiting_completion", attacker)).isEqualTo(1);
    }

    @Test
    void theVictimsTokenCannotFinishTheAttackersStateAndBurnsIt() {
        String attacker = newUser();
        String victim = newUser();
        String state = stateOf(initiate("trellis", attacker));
        String code = "victim-code-" + UUID.randomUUID();
        stubCodeExchange("trellis", code, "at-victim2", "rt-victim2", 3600);

        // The victim's signed-in app receives state + code and tries to finish: it is not the initiator.
        Response complete = post("/api/oauth/complete", userToken(victim), Map.of("state", state, "code", code));
        assertThat(complete.status()).isEqualTo(403);
        assertThat(complete.code()).isEqualTo("CONNECT_FLOW_FORBIDDEN");
        // The state is burned: not even the attacker can finish it now.
        Response attackerTry = post("/api/oauth/complete", userToken(attacker), Map.of("state", state, "code", code));
        assertThat(attackerTry.status()).isEqualTo(400);
        assertThat(attackerTry.code()).isEqualTo("OAUTH_STATE_INVALID");

        // Same at the callback: the victim's bearer on the attacker's state.
        String state2 = stateOf(initiate("trellis", attacker));
        Response callback = get("/api/oauth/callback?code=" + code + "&state=" + state2, userToken(victim),
                "Accept", "application/json");
        assertThat(callback.status()).isEqualTo(403);
        assertThat(callback.code()).isEqualTo("CONNECT_FLOW_FORBIDDEN");
        assertThat(get("/api/oauth/callback?code=" + code + "&state=" + state2, userToken(attacker),
                "Accept", "application/json").code()).isEqualTo("OAUTH_STATE_INVALID");

        assertThat(codeExchanges("trellis", code)).isZero();
        assertThat(connectionCount(attacker)).isZero();
        assertThat(connectionCount(victim)).isZero();
        assertThat(audited("oauth.complete", "forbidden", attacker)).isEqualTo(1);
        assertThat(audited("oauth.callback", "forbidden", attacker)).isEqualTo(1);
        assertThat(jdbc.sql("select actor from audit_event where action = 'oauth.complete' and outcome = 'forbidden' "
                + "and consumer_id = :c").param("c", UUID.fromString(attacker)).query(String.class).single())
                .isEqualTo(victim);
    }

    @Test
    void aWrongSessionTokenOrTheSameUserInAnotherTenantIsForbiddenAndBurnsTheState() {
        String user = newUser();
        String code = "code-" + UUID.randomUUID();
        stubCodeExchange("trellis", code, "at-s", "rt-s", 3600);
        String state = stateOf(initiate("trellis", user));
        Response wrongSession = get("/api/oauth/callback?code=" + code + "&state=" + state, null,
                "Accept", "application/json", "X-Session-Token", "someone-elses-session");
        assertThat(wrongSession.status()).isEqualTo(403);
        assertThat(wrongSession.code()).isEqualTo("CONNECT_FLOW_FORBIDDEN");
        assertThat(get("/api/oauth/callback?code=" + code + "&state=" + state, userToken(user),
                "Accept", "application/json").code()).isEqualTo("OAUTH_STATE_INVALID");

        // The right user, the right session token, but a bearer of the same subject in another tenant: refused.
        Response initiated = initiate("trellis", user);
        String state2 = stateOf(initiated);
        Response otherTenant = post("/api/oauth/complete", userToken(user, UUID.randomUUID().toString()),
                Map.of("state", state2, "code", code), "X-Session-Token",
                initiated.body().path("session_token").asString());
        assertThat(otherTenant.status()).isEqualTo(403);
        assertThat(otherTenant.code()).isEqualTo("CONNECT_FLOW_FORBIDDEN");

        // The initiator's bearer with a wrong session token: still refused.
        String state3 = stateOf(initiate("trellis", user));
        Response mixed = post("/api/oauth/complete", userToken(user), Map.of("state", state3, "code", code),
                "X-Session-Token", "not-the-session");
        assertThat(mixed.status()).isEqualTo(403);
        assertThat(mixed.code()).isEqualTo("CONNECT_FLOW_FORBIDDEN");

        assertThat(codeExchanges("trellis", code)).isZero();
        assertThat(connectionCount(user)).isZero();
    }

    @Test
    void theInitiatorsBearerWithAcceptJsonStillCompletesDirectly() {
        String user = newUser();
        String state = stateOf(initiate("epic", user));
        String code = "code-" + UUID.randomUUID();
        stubCodeExchange("epic", code, "at-b", "rt-b", 3600);
        Response callback = get("/api/oauth/callback?code=" + code + "&state=" + state, userToken(user),
                "Accept", "application/json");
        assertThat(callback.status()).isEqualTo(200);
        assertThat(callback.body().path("success").asBoolean()).isTrue();
        assertThat(callback.body().path("provider_key").asString()).isEqualTo("epic");
        assertThat(callback.body().path("provider_name").asString()).isEqualTo("Epic Systems");
        assertThat(callback.body().path("status").asString()).isEqualTo("active");
        assertThat(get("/api/connections", userToken(user)).body().path("connections").get(0).path("id").asString())
                .isEqualTo(callback.body().path("connection_id").asString());
    }

    @Test
    void theSessionTokenHeaderStillCompletes() {
        String user = newUser();
        Response initiated = initiate("cerner", user);
        String state = stateOf(initiated);
        String code = "code-" + UUID.randomUUID();
        stubCodeExchange("cerner", code, "at-st", "rt-st", 3600);
        Response callback = get("/api/oauth/callback?code=" + code + "&state=" + state, null,
                "Accept", "application/json", "X-Session-Token", initiated.body().path("session_token").asString());
        assertThat(callback.status()).isEqualTo(200);
        assertThat(callback.body().path("success").asBoolean()).isTrue();
        assertThat(connectionCount(user)).isEqualTo(1);
    }

    @Test
    void anonymousCallbackThenCompleteFinishesForTheInitiator() {
        String user = newUser();
        String state = stateOf(initiate("athenahealth", user));
        String code = "code-" + UUID.randomUUID();
        stubCodeExchange("athenahealth", code, "at-c", "rt-c", 3600);
        String iss = PROVIDERS.baseUrl() + "/athenahealth";
        Response browser = get("/api/oauth/callback?code=" + code + "&state=" + state + "&iss=" + iss, null);
        assertThat(browser.status()).isEqualTo(302);
        String location = browser.raw().headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT + "?");
        assertThat(browser.raw().headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        Map<String, String> back = query(location);
        assertThat(back).containsEntry("iss", iss).containsEntry("status", "awaiting_completion");

        // The web client, signed in as the initiator, finishes with what it was handed.
        Response done = post("/api/oauth/complete", userToken(user),
                Map.of("state", back.get("state"), "code", back.get("code"), "iss", back.get("iss")));
        assertThat(done.status()).as(done.body().toString()).isEqualTo(201);
        assertThat(done.body().path("success").asBoolean()).isTrue();
        assertThat(done.body().path("provider_key").asString()).isEqualTo("athenahealth");
        assertThat(done.body().path("status").asString()).isEqualTo("active");
        assertThat(done.raw().body()).doesNotContain("at-c").doesNotContain("rt-c");
        assertThat(connectionCount(user)).isEqualTo(1);
        assertThat(codeExchanges("athenahealth", code)).isEqualTo(1);

        // Single use: a second completion (or a late callback) finds no state.
        Response again = post("/api/oauth/complete", userToken(user), Map.of("state", state, "code", code));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.code()).isEqualTo("OAUTH_STATE_INVALID");
        assertThat(codeExchanges("athenahealth", code)).isEqualTo(1);
    }

    @Test
    void theMobileAppsRedirectReceivesWhatItNeedsToComplete() {
        String user = newUser();
        Response initiated = post("/api/oauth/initiate", userToken(user),
                Map.of("provider_key", "trellis", "redirect_url", MOBILE_REDIRECT));
        String state = stateOf(initiated);
        assertThat(initiated.body().path("state").asString()).isEqualTo(state);
        String code = "code-" + UUID.randomUUID();
        stubCodeExchange("trellis", code, "at-m", "rt-m", 3600);
        Response browser = get("/api/oauth/callback?code=" + code + "&state=" + state, null);
        assertThat(browser.status()).isEqualTo(302);
        String location = browser.raw().headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(MOBILE_REDIRECT + "?");
        Map<String, String> back = query(location);
        Response done = post("/api/oauth/complete", userToken(user), Map.of("state", back.get("state"),
                "code", back.get("code")), "X-Session-Token", initiated.body().path("session_token").asString());
        assertThat(done.status()).as(done.body().toString()).isEqualTo(201);
        assertThat(connectionCount(user)).isEqualTo(1);
    }

    @Test
    void completeRefusesMalformedOrUnauthenticatedRequests() {
        String user = newUser();
        assertThat(post("/api/oauth/complete", null, Map.of("state", "s", "code", "c")).status()).isEqualTo(401);
        Response noCode = post("/api/oauth/complete", userToken(user), Map.of("state", "s"));
        assertThat(noCode.status()).isEqualTo(400);
        assertThat(noCode.code()).isEqualTo("VALIDATION_FAILED");
        Response wrongType = post("/api/oauth/complete", userToken(user), Map.of("state", Map.of("x", 1), "code", 5));
        assertThat(wrongType.status()).isEqualTo(400);
        Response unknown = post("/api/oauth/complete", userToken(user), Map.of("state", "made-up", "code", "c"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.code()).isEqualTo("OAUTH_STATE_INVALID");
        Response huge = post("/api/oauth/complete", userToken(user), Map.of("state", "s".repeat(10_000), "code", "c"));
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.code()).isEqualTo("VALIDATION_FAILED");
    }
}
