package com.clinicwave.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

class EdgeIntegrationTests extends GatewayTestSupport {

    @Autowired
    WebTestClient client;

    @org.springframework.beans.factory.annotation.Value("${local.server.port}")
    int port;

    @Test
    void identityAndForwardingHeadersSentByAClientNeverReachAService() {
        client.get().uri("/api/connections")
                .headers(h -> {
                    h.setBearerAuth(userToken());
                    h.set("X-User-Id", "someone-else");
                    h.set("X-Tenant-Id", "another-tenant");
                    h.set("X-Roles", "admin");
                    h.set("X-Forwarded-User", "admin");
                    h.set("X-Forwarded-For", "6.6.6.6");
                    h.set("X-Forwarded-Host", "evil.example");
                    h.set("Forwarded", "for=6.6.6.6;host=evil.example");
                    h.set("X-Real-IP", "6.6.6.6");
                })
                .exchange()
                .expectStatus().isOk()
                .expectHeader().exists("X-Request-Id");

        Headers received = SERVICES.last().headers();
        assertThat(received.keySet()).map(String::toLowerCase)
                .doesNotContain("x-user-id", "x-tenant-id", "x-roles", "x-forwarded-user", "x-forwarded-host",
                        "forwarded", "x-real-ip");
        assertThat(received.get("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(received.getFirst("X-Request-Id")).isNotBlank();
        assertThat(received.getFirst("traceparent")).isNotBlank();
    }

    @Test
    void aWellFormedRequestIdIsKeptAndReturned() {
        client.get().uri("/api/connections").headers(h -> {
            h.setBearerAuth(userToken());
            h.set("X-Request-Id", "client-req-12345");
        }).exchange().expectStatus().isOk().expectHeader().valueEquals("X-Request-Id", "client-req-12345");
        assertThat(SERVICES.last().headers().getFirst("X-Request-Id")).isEqualTo("client-req-12345");
    }

    @Test
    void internalAndActuatorPathsAreNeverRouted() {
        for (String path : new String[] {"/internal/api-keys/exchange", "/actuator/health", "/actuator",
            "/INTERNAL/connections/x/access-token"}) {
            client.post().uri(path).headers(h -> h.setBearerAuth(userToken())).exchange()
                    .expectStatus().isNotFound()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
        }
        assertThat(AUTH.received()).noneMatch(r -> r.path().startsWith("/internal") && r.headers()
                .getFirst("Authorization") != null && r.headers().getFirst("Authorization").startsWith("Bearer"));
    }

    @Test
    void theActuatorAnswersOnItsOwnPortOnly(@org.springframework.boot.test.web.server.LocalManagementPort int managementPort) {
        WebTestClient management = WebTestClient.bindToServer()
                .codecs(c -> c.defaultCodecs().maxInMemorySize(8 * 1024 * 1024))
                .baseUrl("http://localhost:" + managementPort).build();
        management.get().uri("/actuator/health").exchange().expectStatus().isOk();
        management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("gateway_token_cache"));
        client.get().uri("/actuator/health").exchange().expectStatus().isNotFound();
    }

    @Test
    void pathTricksThatCouldReachInternalEndpointsAreRefused() {
        for (String path : new String[] {"/api/v1/auth/../../internal/api-keys/exchange",
            "/api/v1/auth/%2e%2e/%2e%2e/internal/x", "/api/v1/auth/..%2f..%2finternal/x",
            "/api/v1/auth;x=y/login"}) {
            client.get().uri(java.net.URI.create("http://localhost:" + port + path)).exchange()
                    .expectStatus().value(status -> assertThat(status).isIn(400, 404))
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    @Test
    void anUnroutedPathIsAProblem() {
        client.get().uri("/api/nothing-here").headers(h -> h.setBearerAuth(userToken())).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND").jsonPath("$.trace_id").isNotEmpty();
    }

    @Test
    void publicPathsNeedNoToken() {
        client.get().uri("/api/providers").exchange().expectStatus().isOk();
        client.get().uri("/.well-known/openid-configuration").exchange().expectStatus().isOk();
        client.post().uri("/oauth2/revoke").exchange().expectStatus().isOk();
        // A federated sign-in starts without a token ("Sign in with athenahealth"); one segment only.
        client.get().uri("/oauth2/authorization/athenahealth").exchange().expectStatus().isOk();
        client.get().uri("/oauth2/authorization/athenahealth/x").exchange().expectStatus().isUnauthorized();
        client.post().uri("/api/providers").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void aBodyOverTheLimitIsRefused() {
        client.post().uri("/api/connections").headers(h -> h.setBearerAuth(userToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new byte[3 * 1024 * 1024])
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.code").isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void corsPreflightIsAnsweredForTheSpaOriginsOnly() {
        client.method(HttpMethod.OPTIONS).uri("/api/connections")
                .header("Origin", "http://localhost:5173")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "Authorization")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Access-Control-Allow-Origin", "http://localhost:5173");
        client.method(HttpMethod.OPTIONS).uri("/api/connections")
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void responsesCarrySecurityHeaders() {
        client.get().uri("/api/providers").exchange()
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueEquals("Referrer-Policy", "same-origin");
    }

    @Test
    void theDocumentationUiListsEveryService() {
        client.get().uri("/v3/api-docs/swagger-config").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.urls[*].url").value(urls -> assertThat((java.util.List<Object>) urls)
                        .contains("/v3/api-docs/auth-service", "/v3/api-docs/provider-connection-service",
                                "/v3/api-docs/athena-service", "/v3/api-docs/claims-service"));
        client.get().uri("/v3/api-docs/claims-service").exchange().expectStatus().isOk();
        assertThat(SERVICES.last().path()).isEqualTo("/v3/api-docs");
        client.get().uri("/swagger-ui.html").exchange().expectStatus().value(s -> assertThat(s).isIn(200, 302));
        client.get().uri("/webjars/swagger-ui/index.html").exchange().expectStatus().isOk();
        client.get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk();
        client.get().uri("/swagger-ui/swagger-initializer.js").exchange().expectStatus().isOk()
                .expectBody(String.class).value(js -> assertThat(js).contains("/v3/api-docs/swagger-config"));
    }
}
