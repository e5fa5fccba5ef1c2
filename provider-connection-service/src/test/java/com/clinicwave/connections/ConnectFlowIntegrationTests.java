package com.clinicwave.connections;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

/** The connect flow end to end against a WireMock provider: catalog, initiate, callback, list, refresh, delete. */
class ConnectFlowIntegrationTests extends IntegrationTestSupport {

    @Autowired
    StringRedisTemplate redis;

    @Test
    void catalogListsTheFourSeededProvidersPubliclyWithoutSecrets() {
        Response providers = get("/api/providers", null);
        assertThat(providers.status()).isEqualTo(200);
        List<String> keys = providers.body().path("providers").valueStream()
                .map(p -> p.path("provider_key").asString()).toList();
        assertThat(keys).contains("trellis", "epic", "cerner", "athenahealth");

        Response config = get("/api/providers/epic/oauth-config", null);
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.body().path("redirect_uri").asString()).isEqualTo("http://localhost:8080/api/oauth/callback");
        assertThat(config.body().path("pkce_required").asBoolean()).isTrue();
        assertThat(config.raw().body()).doesNotContain("secret");

        Response terms = get("/api/providers/trellis/terms", null);
        assertThat(terms.status()).isEqualTo(200);
        assertThat(terms.body().path("version").asString()).isEqualTo("1.0");
        assertThat(terms.body().path("is_active").asBoolean()).isTrue();

        assertThat(get("/api/providers/nope/oauth-config", null).code()).isEqualTo("NOT_FOUND");
        Response docs = get("/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().path("paths").has("/api/oauth/initiate")).isTrue();
    }

    @Test
    void wholeConnectFlowInitiateCallbackListRefreshDelete() {
        String user = newUser();
        Response initiated = post("/api/oauth/initiate", userToken(user), Map.of("provider_key", "trellis",
                "consumer_id", user, "redirect_url", REDIRECT, "accepted_terms_version", "1.0"));
        assertThat(initiated.status()).isEqualTo(200);
        assertThat(initiated.body().path("session_token").asString()).hasSizeGreaterThanOrEqualTo(43);
        Map<String, String> auth = query(initiated.body().path("oauth_url").asString());
        assertThat(initiated.body().path("state").asString()).isEqualTo(auth.get("state"));
        assertThat(initiated.body().path("oauth_url").asString()).startsWith(PROVIDERS.baseUrl() + "/trellis/oauth2/authorize?");
        assertThat(auth).containsEntry("response_type", "code").containsEntry("client_id", "clinicwave-trellis")
                .containsEntry("redirect_uri", "http://localhost:8080/api/oauth/callback")
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("aud", PROVIDERS.baseUrl() + "/trellis/fhir");
        assertThat(auth.get("scope")).contains("launch/patient");
        // 32 random bytes, base64url: 256 bits of state.
        assertThat(auth.get("state")).hasSize(43);
        assertThat(jdbc.sql("select count(*) from terms_acceptance where consumer_id = :c and version = '1.0'")
                .param("c", UUID.fromString(user)).query(Long.class).single()).isEqualTo(1);

        stubCodeExchange("trellis", "code-whole", "at-whole", "rt-whole", 3600);
        Response callback = get("/api/oauth/callback?code=code-whole&state=" + auth.get("state")
                + "&iss=" + PROVIDERS.baseUrl() + "/trellis", null, "Accept", "application/json",
                "X-Session-Token", initiated.body().path("session_token").asString());
        assertThat(callback.status()).isEqualTo(200);
        assertThat(callback.body().path("success").asBoolean()).isTrue();
        assertThat(callback.body().path("provider_name").asString()).isEqualTo("Trellis Healthcare");
        assertThat(callback.body().path("provider_key").asString()).isEqualTo("trellis");
        assertThat(callback.body().path("status").asString()).isEqualTo("active");
        String id = callback.body().path("connection_id").asString();

        // The code went to the provider with the PKCE verifier matching the challenge and client_secret_basic.
        LoggedRequest exchange = PROVIDERS.findAll(postRequestedFor(urlPathEqualTo("/trellis/oauth2/token"))
                .withRequestBody(containing("code=code-whole"))).getFirst();
        Map<String, String> form = form(exchange.getBodyAsString());
        assertThat(form).containsEntry("grant_type", "authorization_code")
                .containsEntry("redirect_uri", "http://localhost:8080/api/oauth/callback");
        assertThat(com.clinicwave.connections.oauth.OAuthFlowServiceAccess.s256(form.get("code_verifier")))
                .isEqualTo(auth.get("code_challenge"));
        assertThat(exchange.getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString("clinicwave-trellis:secret-trellis".getBytes(StandardCharsets.UTF_8)));

        JsonNode list = get("/api/connections", userToken(user)).body().path("connections");
        assertThat(list.size()).isEqualTo(1);
        assertThat(list.get(0).path("id").asString()).isEqualTo(id);
        assertThat(list.get(0).path("status").asString()).isEqualTo("active");
        assertThat(list.get(0).path("token_status").asString()).isEqualTo("active");
        assertThat(list.get(0).path("provider_name").asString()).isEqualTo("Trellis Healthcare");
        assertThat(list.toString()).doesNotContain("at-whole").doesNotContain("rt-whole");

        PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/trellis/oauth2/token")).withRequestBody(containing("refresh_token=rt-whole"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("""
                        {"access_token":"at-whole-2","token_type":"Bearer","expires_in":7200,"refresh_token":"rt-whole-2"}
                        """)));
        Response refreshed = post("/api/oauth/token/refresh", userToken(user), Map.of("connection_id", id));
        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.body().path("status").asString()).isEqualTo("active");
        assertThat(refreshed.body().path("token_type").asString()).isEqualTo("Bearer");
        assertThat(refreshed.body().has("access_token")).isFalse();
        assertThat(refreshed.raw().body()).doesNotContain("at-whole-2");

        PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/trellis/oauth2/revoke")).willReturn(ok()));
        Response deleted = delete("/api/connections/" + id, userToken(user));
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body().path("success").asBoolean()).isTrue();
        // The rotated refresh token is the one revoked at the provider.
        PROVIDERS.verify(postRequestedFor(urlPathEqualTo("/trellis/oauth2/revoke"))
                .withRequestBody(containing("token=rt-whole-2")));
        assertThat(get("/api/connections", userToken(user)).body().path("connections").size()).isZero();
        Map<String, Object> row = jdbc.sql("select status, access_token_ciphertext, refresh_token_ciphertext "
                + "from connection where id = :id").param("id", UUID.fromString(id)).query().singleRow();
        assertThat(row.get("status")).isEqualTo("revoked");
        assertThat(row.get("access_token_ciphertext")).isNull();
        assertThat(row.get("refresh_token_ciphertext")).isNull();
        assertThat(delete("/api/connections/" + id, userToken(user)).status()).isEqualTo(404);

        List<String> actions = jdbc.sql("select action from audit_event where connection_id = :id order by id")
                .param("id", UUID.fromString(id)).query(String.class).list();
        assertThat(actions).containsSubsequence("connection.created", "token.refresh", "connection.deleted");
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("""
                select count(*) from event_outbox where event_key = :id and published_at is not null
                """).param("id", id).query(Long.class).single() == 3);
        assertThat(jdbc.sql("select event_type from event_outbox where event_key = :id order by created_at")
                .param("id", id).query(String.class).list())
                .containsExactly("connection.created", "connection.refreshed", "connection.deleted");
    }

    @Test
    void theDatabaseHoldsOnlyCiphertextForTokens() {
        String user = newUser();
        String id = connect("trellis", user, "at-plain-" + user, "rt-plain-" + user);
        for (String table : List.of("connection", "audit_event", "event_outbox")) {
            String dump = String.join("\n", jdbc.sql("select t::text from " + table + " t").query(String.class).list());
            assertThat(dump).as(table).doesNotContain("at-plain-" + user).doesNotContain("rt-plain-" + user);
        }
        byte[] stored = jdbc.sql("select access_token_ciphertext from connection where id = :id")
                .param("id", UUID.fromString(id)).query(byte[].class).single();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("at-plain");
        assertThat(stored.length).isGreaterThan(("at-plain-" + user).length());
    }

    @Test
    void browserCallbackWithTheInitiatorsBearerRedirectsBackWithTheOutcome() {
        String user = newUser();
        String state = query(initiate("cerner", user).body().path("oauth_url").asString()).get("state");
        stubCodeExchange("cerner", "code-redirect", "at-redirect", "rt-redirect", 3600);
        Response callback = get("/api/oauth/callback?code=code-redirect&state=" + state, userToken(user),
                "Accept", "text/html,application/xhtml+xml,*/*");
        assertThat(callback.status()).isEqualTo(302);
        String location = callback.raw().headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT + "?");
        assertThat(query(location)).containsEntry("status", "active").containsEntry("provider_key", "cerner")
                .containsKey("connection_id").doesNotContainKey("code");
        // cerner authenticates with client_secret_post.
        PROVIDERS.verify(postRequestedFor(urlPathEqualTo("/cerner/oauth2/token"))
                .withRequestBody(containing("code=code-redirect"))
                .withRequestBody(containing("client_secret=secret-cerner")));
    }

    @Test
    void deniedConsentCreatesNoConnectionAndSaysSoClearly() {
        String user = newUser();
        String state = query(initiate("trellis", user).body().path("oauth_url").asString()).get("state");
        Response json = get("/api/oauth/callback?error=access_denied&error_description=denied&state=" + state, null,
                "Accept", "application/json");
        assertThat(json.status()).isEqualTo(400);
        assertThat(json.code()).isEqualTo("PROVIDER_CONSENT_DENIED");
        assertThat(json.raw().headers().firstValue("Content-Type").orElseThrow()).contains("application/problem+json");

        String state2 = query(initiate("trellis", user).body().path("oauth_url").asString()).get("state");
        Response browser = get("/api/oauth/callback?error=access_denied&state=" + state2, null);
        assertThat(browser.status()).isEqualTo(302);
        assertThat(query(browser.raw().headers().firstValue("Location").orElseThrow()))
                .containsEntry("error", "PROVIDER_CONSENT_DENIED").containsEntry("provider_key", "trellis");
        // The flow is over: the state cannot be completed afterwards.
        Response late = post("/api/oauth/complete", userToken(user), Map.of("state", state2, "code", "late"));
        assertThat(late.code()).isEqualTo("OAUTH_STATE_INVALID");
        assertThat(connectionCount(user)).isZero();
    }

    @Test
    void aReplayedStateIsRefused() {
        String user = newUser();
        String state = query(initiate("trellis", user).body().path("oauth_url").asString()).get("state");
        stubCodeExchange("trellis", "code-replay", "at-replay", "rt-replay", 3600);
        String url = "/api/oauth/callback?code=code-replay&state=" + state;
        assertThat(get(url, userToken(user), "Accept", "application/json").status()).isEqualTo(200);
        Response replay = get(url, userToken(user), "Accept", "application/json");
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.code()).isEqualTo("OAUTH_STATE_INVALID");
        Response replayComplete = post("/api/oauth/complete", userToken(user),
                Map.of("state", state, "code", "code-replay"));
        assertThat(replayComplete.status()).isEqualTo(400);
        assertThat(replayComplete.code()).isEqualTo("OAUTH_STATE_INVALID");
        assertThat(get("/api/oauth/callback?code=x&state=made-up", null, "Accept", "application/json").code())
                .isEqualTo("OAUTH_STATE_INVALID");
        assertThat(get("/api/oauth/callback?code=x", null, "Accept", "application/json").code())
                .isEqualTo("OAUTH_STATE_INVALID");
        assertThat(connectionCount(user)).isEqualTo(1);
    }

    @Test
    void anExpiredStateIsRefused() {
        String user = newUser();
        String state = query(initiate("trellis", user).body().path("oauth_url").asString()).get("state");
        String key = "connections:oauth-state:" + com.clinicwave.connections.oauth.OAuthFlowServiceAccess.sha256(state);
        assertThat(redis.getExpire(key)).isBetween(590L, 600L);
        redis.expire(key, Duration.ofMillis(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> !Boolean.TRUE.equals(redis.hasKey(key)));
        Response callback = get("/api/oauth/callback?code=code-late&state=" + state, userToken(user),
                "Accept", "application/json");
        assertThat(callback.status()).isEqualTo(400);
        assertThat(callback.code()).isEqualTo("OAUTH_STATE_INVALID");
        Response anonymous = get("/api/oauth/callback?code=code-late&state=" + state, null);
        assertThat(anonymous.status()).isEqualTo(400);
        assertThat(anonymous.code()).isEqualTo("OAUTH_STATE_INVALID");
        assertThat(post("/api/oauth/complete", userToken(user), Map.of("state", state, "code", "code-late")).code())
                .isEqualTo("OAUTH_STATE_INVALID");
    }

    @Test
    void initiateRefusesARedirectOffTheAllowListAndAnotherConsumer() {
        String user = newUser();
        for (String url : List.of("https://evil.example/", "http://127.0.0.1:5174/x", "http://127.0.0.1:5173@evil.example/",
                "http://127.0.0.1:5173/../x", "javascript:alert(1)", "/relative")) {
            Response r = post("/api/oauth/initiate", userToken(user),
                    Map.of("provider_key", "trellis", "consumer_id", user, "redirect_url", url));
            assertThat(r.status()).as(url).isEqualTo(400);
            assertThat(r.code()).as(url).isEqualTo("REDIRECT_URL_NOT_ALLOWED");
        }
        Response other = post("/api/oauth/initiate", userToken(user),
                Map.of("provider_key", "trellis", "consumer_id", newUser(), "redirect_url", REDIRECT));
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.code()).isEqualTo("INSUFFICIENT_PERMISSIONS");
        assertThat(post("/api/oauth/initiate", null, Map.of("provider_key", "trellis", "redirect_url", REDIRECT))
                .status()).isEqualTo(401);
        Response badTerms = post("/api/oauth/initiate", userToken(user), Map.of("provider_key", "trellis",
                "redirect_url", REDIRECT, "accepted_terms_version", "0.9"));
        assertThat(badTerms.code()).isEqualTo("TERMS_VERSION_MISMATCH");
        assertThat(post("/api/oauth/initiate", userToken(user), Map.of("redirect_url", REDIRECT)).code())
                .isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void anAuthorizationResponseFromAnotherIssuerIsRefused() {
        String user = newUser();
        String state = query(initiate("trellis", user).body().path("oauth_url").asString()).get("state");
        Response r = get("/api/oauth/callback?code=c&state=" + state + "&iss=https://evil.example", userToken(user),
                "Accept", "application/json");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("OAUTH_ISSUER_MISMATCH");

        // Without proof too: a response from another issuer ends the flow before anything else happens.
        String state2 = query(initiate("trellis", user).body().path("oauth_url").asString()).get("state");
        Response browser = get("/api/oauth/callback?code=c&state=" + state2 + "&iss=https://evil.example", null);
        assertThat(browser.status()).isEqualTo(302);
        assertThat(query(browser.raw().headers().firstValue("Location").orElseThrow()))
                .containsEntry("error", "OAUTH_ISSUER_MISMATCH").doesNotContainKey("code");
        assertThat(post("/api/oauth/complete", userToken(user), Map.of("state", state2, "code", "c")).code())
                .isEqualTo("OAUTH_STATE_INVALID");
    }

    @Test
    void privateKeyJwtSendsAnAssertionVerifiableWithThePublishedJwks() throws Exception {
        String user = newUser();
        connect("epic", user, "at-epic", "rt-epic");
        LoggedRequest exchange = PROVIDERS.findAll(postRequestedFor(urlPathEqualTo("/epic/oauth2/token"))).getLast();
        Map<String, String> form = form(exchange.getBodyAsString());
        assertThat(form).containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .containsEntry("client_id", "clinicwave-epic").doesNotContainKey("client_secret");
        assertThat(exchange.getHeader("Authorization")).isNull();

        Response jwks = get("/api/oauth/jwks", null);
        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.raw().body()).doesNotContain("\"d\"");
        RSAKey published = (RSAKey) JWKSet.parse(jwks.raw().body()).getKeyByKeyId("test-assertion-key");
        SignedJWT assertion = SignedJWT.parse(form.get("client_assertion"));
        assertThat(assertion.verify(new RSASSAVerifier(published))).isTrue();
        assertThat(assertion.getJWTClaimsSet().getIssuer()).isEqualTo("clinicwave-epic");
        assertThat(assertion.getJWTClaimsSet().getSubject()).isEqualTo("clinicwave-epic");
        assertThat(assertion.getJWTClaimsSet().getAudience()).containsExactly(PROVIDERS.baseUrl() + "/epic/oauth2/token");
        assertThat(assertion.getJWTClaimsSet().getJWTID()).isNotBlank();
    }

    @Test
    void anotherUsersConnectionIsNotFound() {
        String owner = newUser();
        String id = connect("trellis", owner, "at-own", "rt-own");
        String stranger = newUser();
        assertThat(delete("/api/connections/" + id, userToken(stranger)).status()).isEqualTo(404);
        assertThat(post("/api/oauth/token/refresh", userToken(stranger), Map.of("connection_id", id)).status())
                .isEqualTo(404);
        assertThat(get("/api/connections", userToken(owner)).body().path("connections").size()).isEqualTo(1);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int i = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, i), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8));
        }
        return params;
    }
}
