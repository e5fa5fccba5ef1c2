package com.clinicwave.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

class CircuitBreakerIntegrationTests extends GatewayTestSupport {

    @Autowired
    WebTestClient client;

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    @Test
    void theCircuitOpensOnADeadServiceAndClosesWhenItReturns() {
        String token = userToken();
        ATHENA.stop();
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                client.get().uri("/api/athena/connections/c1/balance").headers(h -> h.setBearerAuth(token))
                        .exchange()
                        .expectStatus().isEqualTo(503)
                        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .expectHeader().exists("Retry-After")
                        .expectBody().jsonPath("$.code").isEqualTo("UPSTREAM_UNAVAILABLE");
                assertThat(circuitBreakers.circuitBreaker("athena-service").getState())
                        .isEqualTo(CircuitBreaker.State.OPEN);
            });
            // While open, the call is not even tried: the same 503 problem, never a 500.
            client.get().uri("/api/athena/connections/c1/balance").headers(h -> h.setBearerAuth(token)).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().exists("Retry-After")
                    .expectBody().jsonPath("$.code").isEqualTo("UPSTREAM_UNAVAILABLE");
        } finally {
            ATHENA.start();
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            client.get().uri("/api/athena/connections/c1/balance").headers(h -> h.setBearerAuth(token)).exchange()
                    .expectStatus().isOk();
            assertThat(circuitBreakers.circuitBreaker("athena-service").getState())
                    .isEqualTo(CircuitBreaker.State.CLOSED);
        });
    }
}
