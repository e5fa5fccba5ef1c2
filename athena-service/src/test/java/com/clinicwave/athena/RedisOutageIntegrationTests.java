package com.clinicwave.athena;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Redis unreachable (nothing listens on its port): athena-service keeps answering. Redis holds only caches here
 * (connection owner/status, sealed provider tokens), so every call asks provider-connection-service instead; no
 * request becomes a 500.
 */
@TestPropertySource(properties = {"clinicwave.test.redis.enabled=false", "spring.data.redis.host=127.0.0.1",
    "spring.data.redis.port=1", "spring.data.redis.timeout=500ms", "spring.data.redis.connect-timeout=500ms"})
class RedisOutageIntegrationTests extends AthenaIntegrationTest {

    @Test
    void withoutRedisTheAccountIsStillServed() {
        Connection connection = connection("no-redis-token");
        stubAthena(connection, "no-redis-token");
        String base = "/api/athena/connections/" + connection.id();
        for (String route : new String[] {"/patient", "/balance", "/patient"}) {
            Answer answer = call(base + route, connection.userToken());
            assertThat(answer.status()).as(route + ": " + answer.body()).isEqualTo(200);
        }
    }
}
