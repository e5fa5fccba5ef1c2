package com.clinicwave.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.clinicwave.gateway.ratelimit.RateLimiter;
import com.clinicwave.testsupport.TestJwts;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.Headers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Edge behaviour found in review, each performed as an attack: a stalled upload, forged forwarding headers through
 * and around the trusted proxies, OPTIONS as a way around authentication, API-key guessing, a client-sent
 * {@code X-ClinicWave-Edge}, an internal service token at the public door, an oversize request line.
 */
class EdgeHardeningIntegrationTests extends GatewayTestSupport {

    @Autowired
    WebTestClient client;

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    @Autowired
    RateLimiter limiter;

    @Value("${local.server.port}")
    int port;

    @Test
    void aStalledUploadIsCutWith408AndDoesNotCountAgainstTheServicesCircuitBreaker() throws IOException {
        CircuitBreaker breaker = circuitBreakers.circuitBreaker("claims-service");
        long failedBefore = breaker.getMetrics().getNumberOfFailedCalls();
        // Declares 1000 bytes, sends 10, then stalls (the socket stays open): cut after the body read timeout (1 s).
        String head = "POST /api/connections/c1/claims HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + userToken() + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
        RawHttp.Answer answer = RawHttp.send(port, "127.0.0.1", head, "{\"a\":\"1234".getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(408);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.body()).contains("\"code\":\"REQUEST_TIMEOUT\"");
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(failedBefore);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void throughATrustedProxyTheClientIsTheRightMostUntrustedHopAndTheSchemeIsPassedOn() throws IOException {
        // 127.0.0.2 is a trusted proxy; 10.1.2.3 a trusted hop (10.0.0.0/8); 1.1.1.1 was forged by the client.
        RawHttp.Answer answer = RawHttp.send(port, "127.0.0.2", "GET /api/connections HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + userToken() + "\r\nX-Forwarded-For: 1.1.1.1, 6.6.6.6, 10.1.2.3\r\n"
                + "X-Forwarded-Proto: https\r\n\r\n", new byte[0]);
        assertThat(answer.status()).isEqualTo(200);
        Headers received = SERVICES.last().headers();
        assertThat(received.get("X-Forwarded-For")).containsExactly("6.6.6.6");
        assertThat(received.getFirst("X-Forwarded-Proto")).isEqualTo("https");

        // Not through a trusted proxy: the same headers are ignored, the peer is the client, the scheme the real one.
        RawHttp.Answer direct = RawHttp.send(port, "127.0.0.5", "GET /api/connections HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + userToken() + "\r\nX-Forwarded-For: 6.6.6.6\r\n"
                + "X-Forwarded-Proto: https\r\n\r\n", new byte[0]);
        assertThat(direct.status()).isEqualTo(200);
        assertThat(SERVICES.last().headers().get("X-Forwarded-For")).containsExactly("127.0.0.5");
        assertThat(SERVICES.last().headers().getFirst("X-Forwarded-Proto")).isEqualTo("http");
        // The port the client addressed travels with the scheme: a service's redirects (auth-service's login page)
        // keep it instead of falling back to the scheme's default port.
        assertThat(SERVICES.last().headers().getFirst("X-Forwarded-Port")).isEqualTo("80");
        RawHttp.Answer withPort = RawHttp.send(port, "127.0.0.5", "GET /api/connections HTTP/1.1\r\n"
                + "Host: localhost:8080\r\nAuthorization: Bearer " + userToken() + "\r\nX-Forwarded-Port: 1\r\n\r\n",
                new byte[0]);
        assertThat(withPort.status()).isEqualTo(200);
        assertThat(SERVICES.last().headers().getFirst("X-Forwarded-Port")).isEqualTo("8080");
    }

    @Test
    void behindATrustedProxyEachClientHasItsOwnLoginLimit() throws IOException {
        // The test limit for credential endpoints is 3 per minute per client IP.
        String first = "203.0.113." + (1 + (int) (Math.random() * 100));
        String second = "198.51.100." + (1 + (int) (Math.random() * 100));
        for (int i = 0; i < 3; i++) {
            assertThat(login(first).status()).isEqualTo(200);
        }
        RawHttp.Answer limited = login(first);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.body()).contains("\"code\":\"RATE_LIMITED\"");
        // Another client behind the same load balancer is not affected.
        assertThat(login(second).status()).isEqualTo(200);
    }

    private RawHttp.Answer login(String client) throws IOException {
        return RawHttp.send(port, "127.0.0.2", "POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\n"
                + "X-Forwarded-For: " + client + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n",
                "{}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anOptionsRequestThatIsNotAPreflightIsAuthenticatedLikeAnyOther() {
        int before = SERVICES.received().size();
        client.method(HttpMethod.OPTIONS).uri("/api/connections").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("UNAUTHENTICATED");
        // An Origin alone does not make a preflight.
        client.method(HttpMethod.OPTIONS).uri("/api/connections").header("Origin", "http://localhost:5173").exchange()
                .expectStatus().isUnauthorized();
        assertThat(SERVICES.received()).hasSize(before);
    }

    @Test
    void anUnknownApiKeyCountsAgainstTheClientIpBeforeAuthServiceIsAsked() throws IOException {
        String from = "127.0.0." + (10 + (int) (Math.random() * 200));
        // This client has used up its anonymous limit (100000 per minute in tests).
        for (int i = 0; i < 100_000; i++) {
            limiter.anonymous(from);
        }
        long exchangesBefore = AUTH.received().stream().filter(r -> r.path().equals("/internal/api-keys/exchange")).count();
        RawHttp.Answer answer = RawHttp.send(port, from, "GET /api/connections HTTP/1.1\r\nHost: localhost\r\n"
                + "X-API-Key: cwk_guess_" + UUID.randomUUID() + "\r\n\r\n", new byte[0]);
        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.header("Retry-After")).isNotBlank();
        assertThat(answer.body()).contains("\"code\":\"RATE_LIMITED\"");
        assertThat(AUTH.received().stream().filter(r -> r.path().equals("/internal/api-keys/exchange")).count())
                .isEqualTo(exchangesBefore);
    }

    @Test
    void everyForwardedRequestSaysItCameThroughThePublicDoorWhateverTheClientSent() throws IOException {
        client.get().uri("/api/connections").headers(h -> {
            h.setBearerAuth(userToken());
            h.add("X-ClinicWave-Edge", "internal");
            h.add("x-clinicwave-edge", "trusted");
        }).exchange().expectStatus().isOk();
        assertThat(SERVICES.last().headers().get("X-ClinicWave-Edge")).containsExactly("public");

        // An internal client asking for a token through the public door cannot pass for an internal caller.
        String from = "127.0.1." + (1 + (int) (Math.random() * 200));
        RawHttp.send(port, from, "POST /oauth2/token HTTP/1.1\r\nHost: localhost\r\nX-ClinicWave-Edge: internal\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n\r\n", new byte[0]);
        assertThat(AUTH.last().path()).isEqualTo("/oauth2/token");
        assertThat(AUTH.last().headers().get("X-ClinicWave-Edge")).containsExactly("public");
    }

    @Test
    void anInternalServiceTokenIsRefusedAtThePublicDoor() {
        String internal = TestJwts.sign(new JWTClaimsSet.Builder().subject("claims-service")
                .audience("clinicwave-internal").claim("scope", "internal").build(), Duration.ofMinutes(5));
        client.get().uri("/api/connections").headers(h -> h.setBearerAuth(internal)).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("TOKEN_INVALID");
    }

    @Test
    void aSameOriginFormPostIsNotACorsRequest() throws IOException {
        // A browser posting auth-service's sign-in form sends Origin: the gateway's own origin.
        for (String host : new String[] {"localhost:" + port, "127.0.0.1:" + port}) {
            RawHttp.Answer answer = RawHttp.send(port, "127.0.0.9", "POST /api/v1/auth/login HTTP/1.1\r\nHost: " + host
                    + "\r\nOrigin: http://" + host + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n",
                    "{}".getBytes(StandardCharsets.UTF_8));
            assertThat(answer.status()).as(host + ": " + answer.body()).isEqualTo(200);
        }
        // Another origin is still refused.
        RawHttp.Answer foreign = RawHttp.send(port, "127.0.0.9", "POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost:"
                + port + "\r\nOrigin: https://evil.example\r\nContent-Type: application/json\r\nContent-Length: 2"
                + "\r\n\r\n", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(foreign.status()).isEqualTo(403);
    }

    @Test
    void aRequestTargetThatIsNoUriIsAProblemNotABareStatus() throws IOException {
        for (String target : new String[] {"/api/connections/%zz%", "/api/v1/auth/login?a=%zz", "/api/x%"}) {
            RawHttp.Answer answer = RawHttp.send(port, "127.0.0.1", "GET " + target + " HTTP/1.1\r\n"
                    + "Host: localhost\r\n\r\n", new byte[0]);
            assertThat(answer.status()).as(target).isEqualTo(400);
            assertThat(answer.header("Content-Type")).as(target).startsWith("application/problem+json");
            assertThat(answer.body()).as(target).contains("\"code\":\"MALFORMED_REQUEST\"").doesNotContain("%zz");
        }
    }

    @Test
    void anOversizeRequestLineIsAProblemNotABareStatus() throws IOException {
        RawHttp.Answer answer = RawHttp.send(port, "127.0.0.1", "GET /api/connections?q=" + "a".repeat(10_000)
                + " HTTP/1.1\r\nHost: localhost\r\n\r\n", new byte[0]);
        assertThat(answer.status()).isEqualTo(414);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.body()).contains("\"code\":\"URI_TOO_LONG\"");
    }
}
