package com.clinicwave.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

class ApiKeyIntegrationTests extends GatewayTestSupport {

    @Autowired
    WebTestClient client;

    @Test
    void anApiKeyIsExchangedOnceAndServicesSeeOnlyTheJwt() {
        int before = EXCHANGES.get();
        client.get().uri("/api/connections/c1/claims").header("X-API-Key", GOOD_API_KEY).exchange()
                .expectStatus().isOk();
        StubServer.Received first = SERVICES.last();
        assertThat(first.headers().getFirst("Authorization")).startsWith("Bearer ey");
        assertThat(first.headers().containsKey("X-API-Key")).isFalse();

        client.get().uri("/api/connections/c1/claims").header("Authorization", "ApiKey " + GOOD_API_KEY).exchange()
                .expectStatus().isOk();
        assertThat(SERVICES.last().headers().getFirst("Authorization"))
                .isEqualTo(first.headers().getFirst("Authorization"));
        assertThat(EXCHANGES.get() - before).isEqualTo(1);
    }

    @Test
    void anUnknownApiKeyIsRefusedWithTheExchangeCode() {
        client.get().uri("/api/connections").header("X-API-Key", "cwk_unknown").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("API_KEY_INVALID");
    }
}
