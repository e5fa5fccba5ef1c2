package com.clinicwave.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.nimbusds.jwt.SignedJWT;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** API keys (create once-shown, scoped, revocable, expiring), the gateway's phantom-token exchange, and RBAC admin. */
class ApiKeyAndAdminIntegrationTests extends AuthIntegrationTest {

    @Autowired
    StringRedisTemplate redis;

    @Test
    void apiKeyIsShownOnceAndExchangedForAShortLivedTokenWithOnlyItsScopes() throws Exception {
        JsonNode tokens = login("clinicwave", "demo", "demo-password-1");
        JsonNode created = createKey(tokens, List.of("claims:read"), 201);
        String secret = created.get("api_key").asText();
        assertThat(secret).startsWith("cwk_");

        String listed = mvc.perform(get("/api/v1/auth/api-keys").header(HttpHeaders.AUTHORIZATION, bearer(tokens)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(listed).contains(created.get("id").asText()).doesNotContain(secret);
        assertThat(jdbc.sql("select count(*) from api_key where key_hash = ? or prefix = ?").params(secret, secret)
                .query(Long.class).single()).isZero();

        JsonNode exchanged = exchange(secret, "gateway", "gateway-test-secret", 200);
        assertThat(exchanged.get("expires_in").asLong()).isEqualTo(300);
        assertThat(exchanged.get("api_key_id").asText()).isEqualTo(created.get("id").asText());
        var claims = SignedJWT.parse(exchanged.get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getStringListClaim("permissions")).containsExactly("claims:read");
        assertThat(claims.getStringClaim("api_key_id")).isEqualTo(created.get("id").asText());
        assertThat(claims.getStringClaim("tid")).isNotBlank();
        assertThat(jdbc.sql("select last_used_at is not null from api_key where id = ?::uuid")
                .param(created.get("id").asText()).query(Boolean.class).single()).isTrue();
    }

    @Test
    void revokedExpiredAndUnknownKeysAreRefusedWithTheirCodes() throws Exception {
        JsonNode tokens = login("clinicwave", "demo", "demo-password-1");
        JsonNode revokedKey = createKey(tokens, List.of("claims:read"), 201);
        mvc.perform(delete("/api/v1/auth/api-keys/" + revokedKey.get("id").asText())
                .header(HttpHeaders.AUTHORIZATION, bearer(tokens))).andExpect(status().isNoContent());
        assertThat(exchange(revokedKey.get("api_key").asText(), "gateway", "gateway-test-secret", 401)
                .get("code").asText()).isEqualTo("API_KEY_REVOKED");
        assertThat(jdbc.sql("select count(*) from event_outbox where event_type = 'apikey.revoked' and event_key = ?")
                .param(revokedKey.get("id").asText()).query(Long.class).single()).isEqualTo(1);
        // The second path, without Kafka: denied in Redis until the key's exchanged tokens expire (5 min + grace).
        Double deniedUntil = redis.opsForZSet().score("auth:revoked", "key:" + revokedKey.get("id").asText());
        assertThat(deniedUntil).isNotNull();
        assertThat(deniedUntil.longValue()).isGreaterThan(System.currentTimeMillis() + 290_000);

        JsonNode expiredKey = createKey(tokens, List.of("claims:read"), 201);
        jdbc.sql("update api_key set expires_at = now() - interval '1 minute' where id = ?::uuid")
                .param(expiredKey.get("id").asText()).update();
        assertThat(exchange(expiredKey.get("api_key").asText(), "gateway", "gateway-test-secret", 401)
                .get("code").asText()).isEqualTo("API_KEY_EXPIRED");
        assertThat(exchange("cwk_doesnotexist", "gateway", "gateway-test-secret", 401).get("code").asText())
                .isEqualTo("API_KEY_INVALID");
    }

    @Test
    void onlyTheGatewayClientMayExchangeKeys() throws Exception {
        exchange("cwk_whatever", "gateway", "wrong-secret", 401);
        exchange("cwk_whatever", "demo-service", "demo-service-secret", 403);
    }

    @Test
    void keyScopesMustBeTheOwnersPermissionsAndOtherUsersKeysAreNotFound() throws Exception {
        JsonNode demo = login("clinicwave", "demo", "demo-password-1");
        assertThat(createKey(demo, List.of("users:admin"), 403).get("code").asText()).isEqualTo("INSUFFICIENT_PERMISSIONS");
        JsonNode key = createKey(demo, List.of("claims:read"), 201);
        JsonNode admin = login("clinicwave", "admin", "admin-password-1");
        mvc.perform(delete("/api/v1/auth/api-keys/" + key.get("id").asText()).header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isNotFound());
    }

    @Test
    void adminManagesRolesOfItsTenantAndOthersGetInsufficientPermissions() throws Exception {
        JsonNode demo = login("clinicwave", "demo", "demo-password-1");
        mvc.perform(get("/api/v1/admin/roles").header(HttpHeaders.AUTHORIZATION, bearer(demo)))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("INSUFFICIENT_PERMISSIONS"));

        JsonNode admin = login("clinicwave", "admin", "admin-password-1");
        mvc.perform(get("/api/v1/admin/roles").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.roles[?(@.name=='patient')]").exists());
        String roleName = "auditor" + System.nanoTime() % 100000;
        mvc.perform(post("/api/v1/admin/roles").header(HttpHeaders.AUTHORIZATION, bearer(admin))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("name", roleName, "permissions", List.of("claims:read")))))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/admin/roles").header(HttpHeaders.AUTHORIZATION, bearer(admin))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("name", "bad", "permissions", List.of("root:all")))))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("VALIDATION_FAILED"));

        String username = newUser("clinicwave", "role-change-1");
        String userId = jdbc.sql("select id::text from app_user where username = ?").param(username).query(String.class).single();
        mvc.perform(put("/api/v1/admin/users/" + userId + "/roles").header(HttpHeaders.AUTHORIZATION, bearer(admin))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("roles", List.of(roleName)))))
                .andExpect(status().isOk()).andExpect(jsonPath("$.permissions[0]").value("claims:read"));
        mvc.perform(put("/api/v1/admin/users/" + userId + "/roles").header(HttpHeaders.AUTHORIZATION, bearer(admin))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("roles", List.of("no-such-role")))))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("ROLE_NOT_FOUND"));
        var claims = SignedJWT.parse(login("clinicwave", username, "role-change-1").get("access_token").asText())
                .getJWTClaimsSet();
        assertThat(claims.getStringListClaim("roles")).containsExactly(roleName);
    }

    @Test
    void aRoleChangeOrLockOfTheOwnerEndsTheKeysExchangedTokensAndTheExchangeFollowsTheOwnersState() throws Exception {
        String username = newUser("clinicwave", "key-owner-pass-1");
        String userId = jdbc.sql("select id::text from app_user where username = ?").param(username)
                .query(String.class).single();
        JsonNode owner = login("clinicwave", username, "key-owner-pass-1");
        JsonNode key = createKey(owner, List.of("claims:read"), 201);
        String secret = key.get("api_key").asText();
        assertThat(exchange(secret, "gateway", "gateway-test-secret", 200).get("scope").asText()).isEqualTo("claims:read");
        JsonNode admin = login("clinicwave", "admin", "admin-password-1");

        // Role change: every token of the user issued until now is denied (sub:<user id>:<not before ms>), for the
        // longest a token lives (10 min access tokens + grace), published once the change committed; the key keeps
        // working and its next exchange carries the new roles' permissions.
        long before = System.currentTimeMillis();
        mvc.perform(put("/api/v1/admin/users/" + userId + "/roles").header(HttpHeaders.AUTHORIZATION, bearer(admin))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"roles\":[]}"))
                .andExpect(status().isOk());
        var cuts = redis.opsForZSet().rangeWithScores("auth:revoked", 0, -1).stream()
                .filter(entry -> entry.getValue().startsWith("sub:" + userId + ":")).toList();
        assertThat(cuts).hasSize(1);
        long notBefore = Long.parseLong(cuts.get(0).getValue().substring(("sub:" + userId + ":").length()));
        assertThat(notBefore).isBetween(before, System.currentTimeMillis());
        assertThat(cuts.get(0).getScore().longValue()).isGreaterThan(notBefore + 600_000);
        assertThat(exchange(secret, "gateway", "gateway-test-secret", 200).get("scope").asText()).isEmpty();

        // An administrator's lock refuses the key (as an invalid key: the lock is not revealed); the unlock ends it.
        mvc.perform(post("/api/v1/admin/users/" + userId + "/lock").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isOk());
        assertThat(exchange(secret, "gateway", "gateway-test-secret", 401).get("code").asText())
                .isEqualTo("API_KEY_INVALID");
        mvc.perform(post("/api/v1/admin/users/" + userId + "/unlock").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isNoContent());
        exchange(secret, "gateway", "gateway-test-secret", 200);

        // The failed-password lockout guards the password only: it does not switch the user's keys off.
        jdbc.sql("update app_user set locked_until = now() + interval '15 minutes' where id = ?::uuid").param(userId)
                .update();
        exchange(secret, "gateway", "gateway-test-secret", 200);
        jdbc.sql("update app_user set locked_until = null where id = ?::uuid").param(userId).update();

        // A disabled tenant's keys are refused until it is enabled again.
        String tenant = jdbc.sql("select tenant_id::text from app_user where id = ?::uuid").param(userId)
                .query(String.class).single();
        try {
            jdbc.sql("update tenant set enabled = false where id = ?::uuid").param(tenant).update();
            assertThat(exchange(secret, "gateway", "gateway-test-secret", 401).get("code").asText())
                    .isEqualTo("API_KEY_INVALID");
        } finally {
            jdbc.sql("update tenant set enabled = true where id = ?::uuid").param(tenant).update();
        }
        exchange(secret, "gateway", "gateway-test-secret", 200);
    }

    private JsonNode createKey(JsonNode tokens, List<String> scopes, int expected) throws Exception {
        return body(mvc.perform(post("/api/v1/auth/api-key").header(HttpHeaders.AUTHORIZATION, bearer(tokens))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("name", "ci", "scopes", scopes, "expires_in_days", 30))))
                .andExpect(status().is(expected)));
    }

    private JsonNode exchange(String key, String client, String secret, int expected) throws Exception {
        var result = mvc.perform(post("/internal/api-keys/exchange").with(httpBasic(client, secret))
                        .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("api_key", key))))
                .andExpect(status().is(expected)).andReturn().getResponse().getContentAsString();
        return result.isEmpty() ? json.createObjectNode() : json.readTree(result);
    }
}
