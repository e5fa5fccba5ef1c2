package com.clinicwave.gateway;

import static org.awaitility.Awaitility.await;

import com.clinicwave.testsupport.TestJwts;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A revocation of all of a user's tokens (auth-service's {@code sub:<user id>:<not before epoch ms>} after a role
 * change, a lock, a password change or a disabled tenant), published exactly as auth-service's {@code RevokedTokens}
 * does it (sorted set {@code auth:revoked}, then channel {@code auth:revocations}): the user's tokens issued before
 * are refused within a second, and the exchanged tokens the gateway cached for the user's API keys are dropped, so the
 * key is exchanged again with the owner's roles and state of now.
 */
class UserRevocationIntegrationTests extends GatewayTestSupport {

    @Autowired
    WebTestClient client;

    @Autowired
    StringRedisTemplate redis;

    @Test
    void aRoleChangeOfAnApiKeysOwnerTakesEffectWithinASecondAndALockRefusesTheKeyUntilTheUnlock() {
        OWNER_STATE.set("admin");
        try {
            client.get().uri("/api/v1/admin/users").header("X-API-Key", OWNED_API_KEY).exchange()
                    .expectStatus().isOk();
            int exchanges = EXCHANGES.get();
            client.get().uri("/api/v1/admin/users").header("X-API-Key", OWNED_API_KEY).exchange()
                    .expectStatus().isOk();
            org.assertj.core.api.Assertions.assertThat(EXCHANGES.get()).as("cached").isEqualTo(exchanges);

            // The administrator takes users:admin away: the key keeps working, with the new permissions.
            OWNER_STATE.set("patient");
            revokeUser(OWNER_ID, Instant.now());
            withinASecond(h -> h.set("X-API-Key", OWNED_API_KEY), "/api/v1/admin/users", 403, "INSUFFICIENT_PERMISSIONS");
            client.get().uri("/api/connections").header("X-API-Key", OWNED_API_KEY).exchange().expectStatus().isOk();

            // The administrator locks the owner: the exchange refuses the key, with its code.
            OWNER_STATE.set("locked");
            revokeUser(OWNER_ID, Instant.now());
            withinASecond(h -> h.set("X-API-Key", OWNED_API_KEY), "/api/connections", 401, "API_KEY_INVALID");

            // Unlocked (auth-service publishes nothing for an unlock): the key works again.
            OWNER_STATE.set("patient");
            client.get().uri("/api/connections").header("X-API-Key", OWNED_API_KEY).exchange().expectStatus().isOk();
        } finally {
            OWNER_STATE.set("admin");
        }
    }

    @Test
    void aUsersTokensIssuedBeforeTheRevocationAreRefusedWithinASecondAndLaterOnesAreNot() {
        String user = UUID.randomUUID().toString();
        String tenant = UUID.randomUUID().toString();
        String earlier = token(user, tenant, Instant.now().minusSeconds(5));
        String otherUser = token(UUID.randomUUID().toString(), tenant, Instant.now().minusSeconds(5));
        client.get().uri("/api/connections").headers(h -> h.setBearerAuth(earlier)).exchange().expectStatus().isOk();

        Instant changed = Instant.now();
        revokeUser(user, changed);
        withinASecond(h -> h.setBearerAuth(earlier), "/api/connections", 401, "TOKEN_REVOKED");
        // A token issued since (iat in whole seconds: the second of the change counts as after it), another user's.
        String later = token(user, tenant, changed);
        client.get().uri("/api/connections").headers(h -> h.setBearerAuth(later)).exchange().expectStatus().isOk();
        client.get().uri("/api/connections").headers(h -> h.setBearerAuth(otherUser)).exchange().expectStatus().isOk();
    }

    private void withinASecond(java.util.function.Consumer<org.springframework.http.HttpHeaders> credential, String path,
            int status, String code) {
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(25)).untilAsserted(() ->
                client.get().uri(path).headers(credential).exchange()
                        .expectStatus().isEqualTo(status)
                        .expectBody().jsonPath("$.code").isEqualTo(code));
    }

    /** auth-service's {@code RevokedTokens.revokeSubject}: denied for the longest token lifetime plus grace. */
    private void revokeUser(String userId, Instant notBefore) {
        String member = "sub:" + userId + ":" + notBefore.toEpochMilli();
        long expires = notBefore.plus(Duration.ofMinutes(10)).plusSeconds(30).toEpochMilli();
        redis.opsForZSet().add("auth:revoked", member, expires);
        redis.convertAndSend("auth:revocations", member + " " + expires);
    }

    private static String token(String userId, String tenantId, Instant issuedAt) {
        return TestJwts.sign(new JWTClaimsSet.Builder().subject(userId).claim("tid", tenantId)
                .claim("permissions", List.of("connections:read")).claim("sid", UUID.randomUUID().toString())
                .issueTime(Date.from(issuedAt)).build(), Duration.ofMinutes(5));
    }
}
