package com.clinicwave.auth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.clinicwave.auth.AuthIntegrationTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The denylist as two replicas see it: this context's bean and a second instance on the same Redis, as another
 * auth-service replica would run it.
 */
class RevokedTokensReplicaTests extends AuthIntegrationTest {

    @Autowired
    private RevokedTokens replicaA;

    @Autowired
    private StringRedisTemplate redis;

    @Autowired
    private RedisConnectionFactory connections;

    private RevokedTokens replicaB;

    @BeforeEach
    void startSecondReplica() {
        replicaB = new RevokedTokens(redis, connections, Clock.systemUTC(), new SimpleMeterRegistry());
        replicaB.start();
    }

    @AfterEach
    void stopSecondReplica() {
        replicaB.stop();
    }

    private static Jwt token(String jti, String sid) {
        return Jwt.withTokenValue("t").header("alg", "ES256").jti(jti).claims(c -> c.putAll(Map.of("sid", sid)))
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(600)).build();
    }

    @Test
    void aRevocationOnOneReplicaIsRefusedAtOnceThereAndPromptlyOnTheOther() {
        Jwt byJti = token(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        Jwt bySid = token(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        assertThat(replicaA.validate(byJti).hasErrors()).isFalse();
        assertThat(replicaB.validate(bySid).hasErrors()).isFalse();

        replicaA.revokeToken(byJti.getId(), Instant.now().plusSeconds(600));
        replicaB.revokeSession(bySid.getClaimAsString("sid"), Instant.now().plusSeconds(600));

        assertThat(replicaA.validate(byJti).hasErrors()).isTrue();
        assertThat(replicaB.validate(bySid).hasErrors()).isTrue();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(replicaB.validate(byJti).hasErrors()).isTrue();
            assertThat(replicaA.validate(bySid).hasErrors()).isTrue();
        });
        assertThat(replicaA.validate(token(UUID.randomUUID().toString(), UUID.randomUUID().toString())).hasErrors())
                .isFalse();
    }

    @Test
    void aReplicaStartingLaterLoadsWhatWasRevokedBefore() {
        Jwt revoked = token(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        replicaA.revokeSession(revoked.getClaimAsString("sid"), Instant.now().plusSeconds(600));

        RevokedTokens late = new RevokedTokens(redis, connections, Clock.systemUTC(), new SimpleMeterRegistry());
        late.start();
        try {
            assertThat(late.validate(revoked).hasErrors()).isTrue();
        } finally {
            late.stop();
        }
    }

    @Test
    void entriesEndWhenTheTokensTheyDenyHaveExpired() {
        Jwt token = token(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        replicaA.revokeToken(token.getId(), Instant.now().minusSeconds(60));
        assertThat(replicaA.validate(token).hasErrors()).isFalse();
        assertThat(redis.opsForZSet().score(RevokedTokens.SET, "jti:" + token.getId())).isNull();

        redis.opsForZSet().add(RevokedTokens.SET, "jti:stale", System.currentTimeMillis() - 120_000);
        replicaA.reload();
        assertThat(redis.opsForZSet().score(RevokedTokens.SET, "jti:stale")).isNull();
    }
}
