package com.clinicwave.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

class RateLimitIntegrationTests extends GatewayTestSupport {

    @Autowired
    WebTestClient client;

    @Test
    void loginPastItsLimitGets429WithRetryAfter() {
        // The test limit for credential endpoints is 3 per minute per client IP.
        for (int i = 0; i < 3; i++) {
            client.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                    .exchange()
                    .expectStatus().isOk()
                    .expectHeader().valueEquals("RateLimit-Limit", "3")
                    .expectHeader().exists("RateLimit-Remaining");
        }
        client.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value("Retry-After", v -> assertThat(Integer.parseInt(v)).isBetween(1, 60))
                .expectHeader().valueEquals("RateLimit-Remaining", "0")
                .expectBody().jsonPath("$.code").isEqualTo("RATE_LIMITED");
    }
}
