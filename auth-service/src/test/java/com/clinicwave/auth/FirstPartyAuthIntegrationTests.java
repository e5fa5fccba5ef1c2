package com.clinicwave.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.nimbusds.jwt.SignedJWT;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** Seed 002 flows of the first-party API: login, me, refresh rotation and reuse, logout, lockout, rate limits. */
class FirstPartyAuthIntegrationTests extends AuthIntegrationTest {

    @Test
    void demoUserLogsInAndGetsAccessTokenWithContractClaims() throws Exception {
        JsonNode tokens = login("clinicwave", "demo", "demo-password-1");
        assertThat(tokens.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(tokens.get("expires_in").asLong()).isEqualTo(600);
        assertThat(tokens.get("refresh_token").asText()).startsWith("cwr_");
        var claims = SignedJWT.parse(tokens.get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(ISSUER);
        assertThat(claims.getAudience()).contains("clinicwave-api");
        assertThat(claims.getStringClaim("tenant")).isEqualTo("clinicwave");
        assertThat(claims.getStringClaim("tid")).isNotBlank();
        assertThat(claims.getStringListClaim("roles")).containsExactly("patient");
        assertThat(claims.getStringListClaim("permissions")).contains("connections:read", "claims:sync", "athena:read");
        assertThat(claims.getStringClaim("sid")).isEqualTo(tokens.get("session_id").asText());
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(SignedJWT.parse(tokens.get("access_token").asText()).getHeader().getKeyID()).isNotBlank();

        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, bearer(tokens)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.username").value("demo"))
                .andExpect(jsonPath("$.tenant").value("clinicwave"))
                .andExpect(jsonPath("$.roles[0]").value("patient"));
    }

    @Test
    void wrongPasswordAndUnknownUserGiveTheSameAnswer() throws Exception {
        var wrong = body(mvc.perform(loginRequest("clinicwave", "demo", "not-the-password"))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.code").value("INVALID_CREDENTIALS")));
        var unknown = body(mvc.perform(loginRequest("clinicwave", "nobody-here", "not-the-password"))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.code").value("INVALID_CREDENTIALS")));
        assertThat(wrong.get("detail")).isEqualTo(unknown.get("detail"));
    }

    @Test
    void unknownUserWrongPasswordAndLockedAccountLookTheSame() throws Exception {
        String username = newUser("clinicwave", "enumerate-pass-1");
        jdbc.sql("update app_user set locked_until = now() + interval '10 minutes' where username = ?").param(username)
                .update();
        String victim = newUser("clinicwave", "enumerate-pass-2");
        // The attacker probes three usernames: one locked (with its right password), one existing, one unknown.
        var locked = mvc.perform(loginRequest("clinicwave", username, "enumerate-pass-1")).andReturn().getResponse();
        var wrong = mvc.perform(loginRequest("clinicwave", victim, "not-the-password-1")).andReturn().getResponse();
        var unknown = mvc.perform(loginRequest("clinicwave", "nobody-" + username, "enumerate-pass-1")).andReturn()
                .getResponse();
        for (var answer : java.util.List.of(locked, wrong, unknown)) {
            assertThat(answer.getStatus()).isEqualTo(401);
            assertThat(answer.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        }
        JsonNode first = withoutTraceId(json.readTree(locked.getContentAsString()));
        assertThat(first.get("code").asText()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(withoutTraceId(json.readTree(wrong.getContentAsString()))).isEqualTo(first);
        assertThat(withoutTraceId(json.readTree(unknown.getContentAsString()))).isEqualTo(first);
        assertThat(locked.getHeaderNames()).containsExactlyInAnyOrderElementsOf(unknown.getHeaderNames());
        // Server side, the audit log keeps the real reasons.
        assertThat(jdbc.sql("select detail from audit_event where actor = ? order by id desc limit 1").param(username)
                .query(String.class).single()).isEqualTo("account locked");
        assertThat(jdbc.sql("select detail from audit_event where actor = ? order by id desc limit 1")
                .param("nobody-" + username).query(String.class).single()).isEqualTo("unknown user");
    }

    private static JsonNode withoutTraceId(JsonNode problem) {
        ((tools.jackson.databind.node.ObjectNode) problem).remove("trace_id");
        return problem;
    }

    @Test
    void fiveFailuresLockTheAccountUntilAnAdminUnlocksIt() throws Exception {
        String username = newUser("clinicwave", "correct-horse-1");
        for (int i = 0; i < 5; i++) {
            mvc.perform(loginRequest("clinicwave", username, "wrong-password-1")).andExpect(status().isUnauthorized());
        }
        // Locked: the same answer as a wrong password (issue 13, item 5); the reason is in the audit log.
        mvc.perform(loginRequest("clinicwave", username, "correct-horse-1"))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.code").value("INVALID_CREDENTIALS"));
        String userId = jdbc.sql("select id::text from app_user where username = ?").param(username).query(String.class).single();
        assertThat(jdbc.sql("select count(*) from audit_event where event_type = 'login.locked' and user_id = ?::uuid")
                .param(userId).query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from event_outbox where event_type = 'user.locked' and event_key = ?")
                .param(userId).query(Long.class).single()).isEqualTo(1);

        JsonNode admin = login("clinicwave", "admin", "admin-password-1");
        mvc.perform(post("/api/v1/admin/users/" + userId + "/unlock").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isNoContent());
        login("clinicwave", username, "correct-horse-1");
    }

    @Test
    void tooManyAttemptsForOneUsernameAreRateLimitedWithRetryAfter() throws Exception {
        for (int i = 0; i < 40; i++) {
            mvc.perform(loginRequest("clinicwave", "ghost-user-rl", "whatever-pass-1")).andExpect(status().isUnauthorized());
        }
        mvc.perform(loginRequest("clinicwave", "ghost-user-rl", "whatever-pass-1"))
                .andExpect(status().isTooManyRequests())
                .andExpect(jsonPath("$.code").value("RATE_LIMITED"))
                .andExpect(header().exists(HttpHeaders.RETRY_AFTER));
    }

    @Test
    void refreshRotatesAndReuseRevokesTheWholeFamily() throws Exception {
        JsonNode first = login("clinicwave", "demo", "demo-password-1");
        JsonNode second = refresh(first.get("refresh_token").asText(), 200);
        assertThat(second.get("refresh_token").asText()).isNotEqualTo(first.get("refresh_token").asText());
        assertThat(second.get("session_id").asText()).isEqualTo(first.get("session_id").asText());
        // The refreshed token has the same user claims (user and grants read in one query, the session's fields
        // returned by the rotation script itself).
        var before = SignedJWT.parse(first.get("access_token").asText()).getJWTClaimsSet();
        var after = SignedJWT.parse(second.get("access_token").asText()).getJWTClaimsSet();
        assertThat(after.getSubject()).isEqualTo(before.getSubject());
        assertThat(after.getStringClaim("tid")).isEqualTo(before.getStringClaim("tid"));
        assertThat(after.getStringClaim("sid")).isEqualTo(first.get("session_id").asText());
        assertThat(after.getStringListClaim("roles")).isEqualTo(before.getStringListClaim("roles")).containsExactly("patient");
        assertThat(after.getStringListClaim("permissions")).isEqualTo(before.getStringListClaim("permissions"))
                .contains("connections:read", "claims:sync", "athena:read").isSorted();
        assertThat(second.get("refresh_expires_in").asLong()).isPositive()
                .isLessThanOrEqualTo(first.get("refresh_expires_in").asLong());

        JsonNode replay = refresh(first.get("refresh_token").asText(), 401);
        assertThat(replay.get("code").asText()).isEqualTo("TOKEN_REVOKED");
        // The family is gone: the current refresh token and the session's access tokens are refused too.
        assertThat(refresh(second.get("refresh_token").asText(), 401).get("code").asText()).isEqualTo("TOKEN_REVOKED");
        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, bearer(second)))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.code").value("TOKEN_REVOKED"));
        assertThat(jdbc.sql("select count(*) from event_outbox where event_type = 'session.revoked' and event_key = ?")
                .param(first.get("session_id").asText()).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aSessionPastItsAbsoluteLifetimeAnswersSessionExpired(
            @org.springframework.beans.factory.annotation.Autowired org.springframework.data.redis.core.StringRedisTemplate redis)
            throws Exception {
        String username = newUser("clinicwave", "expiry-pass-123");
        JsonNode tokens = login("clinicwave", username, "expiry-pass-123");
        String sid = tokens.get("session_id").asText();
        // The absolute lifetime ends (the keys are kept a day longer to tell this from an unknown token).
        redis.opsForHash().put("auth:session:" + sid, "expires_at",
                Long.toString(java.time.Instant.now().minusSeconds(1).getEpochSecond()));
        JsonNode expired = refresh(tokens.get("refresh_token").asText(), 401);
        assertThat(expired.get("code").asText()).isEqualTo("SESSION_EXPIRED");
        assertThat(mvc.perform(get("/api/v1/auth/sessions").header(HttpHeaders.AUTHORIZATION, bearer(tokens)))
                .andReturn().getResponse().getContentAsString()).doesNotContain(sid);
    }

    @Test
    void unknownRefreshTokenFails() throws Exception {
        assertThat(refresh("cwr_this-token-was-never-issued-by-us", 401).get("code").asText()).isEqualTo("REFRESH_FAILED");
    }

    @Test
    void logoutRevokesTheSessionAndItsAccessToken() throws Exception {
        JsonNode tokens = login("clinicwave", "demo", "demo-password-1");
        mvc.perform(post("/api/v1/auth/logout").header(HttpHeaders.AUTHORIZATION, bearer(tokens)))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, bearer(tokens)))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.code").value("TOKEN_REVOKED"));
        assertThat(refresh(tokens.get("refresh_token").asText(), 401).get("code").asText()).isEqualTo("TOKEN_REVOKED");
    }

    @Test
    void usersListAndRevokeTheirOwnSessionsOnly() throws Exception {
        String username = newUser("clinicwave", "sessions-pass-1");
        JsonNode a = login("clinicwave", username, "sessions-pass-1");
        JsonNode b = login("clinicwave", username, "sessions-pass-1");
        mvc.perform(get("/api/v1/auth/sessions").header(HttpHeaders.AUTHORIZATION, bearer(a)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.sessions.length()").value(2));
        JsonNode other = login("clinicwave", "demo", "demo-password-1");
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                        .delete("/api/v1/auth/sessions/" + b.get("session_id").asText())
                        .header(HttpHeaders.AUTHORIZATION, bearer(other)))
                .andExpect(status().isNotFound());
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                        .delete("/api/v1/auth/sessions/" + b.get("session_id").asText())
                        .header(HttpHeaders.AUTHORIZATION, bearer(a)))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, bearer(b)))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/api/v1/auth/sessions").header(HttpHeaders.AUTHORIZATION, bearer(a)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.sessions.length()").value(1));
    }

    @Test
    void invalidAndExpiredTokensAreRefusedWithTheirCodes() throws Exception {
        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, "Bearer not.a.jwt"))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.code").value("TOKEN_INVALID"));
        // Signed by a key this service does not know (the test-support key): invalid.
        String foreign = com.clinicwave.testsupport.TestJwts.user("u1", "t1", java.util.List.of("claims:read"),
                java.util.List.of("patient"));
        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + foreign))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.code").value("TOKEN_INVALID"));
        mvc.perform(get("/api/v1/auth/me")).andExpect(status().isUnauthorized());
    }

    @Test
    void passwordAndTenantPoliciesAnswerPolicyViolation() throws Exception {
        // Password policy: the password contains the username.
        mvc.perform(post("/api/v1/auth/register").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"pollyanna\",\"password\":\"pollyanna-123\"}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("POLICY_VIOLATION"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("not containing the username")));
        // Password policy: a new password equal to the current one.
        String username = newUser("clinicwave", "policy-pass-123");
        mvc.perform(post("/api/v1/auth/password").contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(java.util.Map.of("tenant", "clinicwave", "username", username,
                                "password", "policy-pass-123", "new_password", "policy-pass-123"))))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("POLICY_VIOLATION"));
        // Tenant policy: registration closed.
        String closed = "closed" + java.util.UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("insert into tenant (id, tenant_key, name, open_registration) values (?, ?, ?, false)")
                .params(java.util.UUID.randomUUID(), closed, "Closed").update();
        mvc.perform(post("/api/v1/auth/register").contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(java.util.Map.of("tenant", closed, "username", "newcomer",
                                "password", "closed-pass-123"))))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("POLICY_VIOLATION"));
    }

    @Test
    void registrationValidatesAndEmitsUserRegistered() throws Exception {
        mvc.perform(post("/api/v1/auth/register").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"shorty\",\"password\":\"short\"}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("POLICY_VIOLATION"));
        mvc.perform(post("/api/v1/auth/register").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"bad name!\",\"password\":\"valid-pass-123\"}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("VALIDATION_FAILED"));
        mvc.perform(post("/api/v1/auth/register").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"demo\",\"password\":\"another-pass-1\"}"))
                .andExpect(status().isConflict());
        String username = newUser("clinicwave", "valid-pass-123");
        assertThat(jdbc.sql("select count(*) from event_outbox where event_type = 'user.registered' and payload like ?")
                .param("%" + username + "%").query(Long.class).single()).isEqualTo(1);
        // The outbox relay publishes it to Kafka (auth.events) on the real embedded broker.
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(java.util.Map.of(
                "bootstrap.servers", com.clinicwave.testsupport.TestKafka.get().bootstrapServers(),
                "group.id", "auth-test-" + java.util.UUID.randomUUID(), "auto.offset.reset", "earliest",
                "key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName(),
                "value.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName()))) {
            consumer.subscribe(java.util.List.of("auth.events"));
            java.util.List<String> seen = new java.util.ArrayList<>();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
                consumer.poll(java.time.Duration.ofMillis(500)).forEach(r -> seen.add(r.value()));
                return seen.stream().anyMatch(v -> v.contains("\"user.registered\"") && v.contains(username));
            });
        }
    }

    @Test
    void usersAreUniquePerTenantAndTokensStayInTheirTenant() throws Exception {
        JsonNode clinicwave = login("clinicwave", "demo", "demo-password-1");
        JsonNode abott = login("abott", "demo", "abott-password-1");
        var a = SignedJWT.parse(clinicwave.get("access_token").asText()).getJWTClaimsSet();
        var b = SignedJWT.parse(abott.get("access_token").asText()).getJWTClaimsSet();
        assertThat(a.getSubject()).isNotEqualTo(b.getSubject());
        assertThat(a.getStringClaim("tid")).isNotEqualTo(b.getStringClaim("tid"));
        mvc.perform(loginRequest("abott", "demo", "demo-password-1")).andExpect(status().isUnauthorized());
        // An abott admin cannot touch a clinicwave user.
        JsonNode abottAdmin = login("abott", "admin", "abott-admin-password-1");
        mvc.perform(post("/api/v1/admin/users/" + a.getSubject() + "/unlock")
                        .header(HttpHeaders.AUTHORIZATION, bearer(abottAdmin)))
                .andExpect(status().isNotFound());
    }

    private JsonNode refresh(String refreshToken, int expectedStatus) throws Exception {
        return body(mvc.perform(post("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("refresh_token", refreshToken))))
                .andExpect(status().is(expectedStatus)));
    }

    private org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder loginRequest(String tenant,
            String username, String password) throws Exception {
        return post("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("tenant", tenant, "username", username, "password", password)));
    }
}
