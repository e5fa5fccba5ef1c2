package com.clinicwave.gateway;

import com.clinicwave.testsupport.TestJwts;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one gateway context the integration tests share: the real application on a random port, auth-service (JWKS and
 * API-key exchange) and the services stubbed by {@link StubServer}s, embedded Redis and Kafka from test support.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@org.springframework.context.annotation.Import({GatewayTestSupport.PublicClient.class, GatewayTestSupport.SpanCapture.class})
abstract class GatewayTestSupport {

    static final StubServer AUTH = new StubServer();
    static final StubServer SERVICES = new StubServer();
    /** athena-service alone, so it can die and come back without affecting the other routes. */
    static final StubServer ATHENA = new StubServer();

    static final String GOOD_API_KEY = "cwk_good_" + UUID.randomUUID();
    static final String API_KEY_ID = UUID.randomUUID().toString();
    /** A second valid key (its own id), for a test that revokes it without touching {@link #GOOD_API_KEY}. */
    static final String OTHER_API_KEY = "cwk_other_" + UUID.randomUUID();
    static final String OTHER_API_KEY_ID = UUID.randomUUID().toString();
    /**
     * A key whose owner's state the test sets as auth-service would have it: {@code admin} (users:admin and
     * claims:read), {@code patient} (claims:read) or {@code locked} (the exchange refuses the key).
     */
    static final String OWNED_API_KEY = "cwk_owned_" + UUID.randomUUID();
    static final String OWNED_API_KEY_ID = UUID.randomUUID().toString();
    static final String OWNER_ID = UUID.randomUUID().toString();
    static final java.util.concurrent.atomic.AtomicReference<String> OWNER_STATE =
            new java.util.concurrent.atomic.AtomicReference<>("admin");
    static final AtomicBoolean AUTH_DOWN = new AtomicBoolean();
    static final AtomicInteger EXCHANGES = new AtomicInteger();

    static {
        AUTH.on("/oauth2/jwks", exchange -> AUTH_DOWN.get() ? StubServer.Answer.json(503, "")
                : StubServer.Answer.json(200, TestJwts.jwkSetJson()));
        AUTH.on("/internal/api-keys/exchange", exchange -> {
            if (AUTH_DOWN.get()) {
                return StubServer.Answer.json(503, "");
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String expectedBasic = "Basic " + java.util.Base64.getEncoder()
                    .encodeToString("gateway:test-gateway-secret".getBytes());
            if (!expectedBasic.equals(auth)) {
                return StubServer.Answer.json(401, "{\"code\":\"UNAUTHENTICATED\"}");
            }
            String body = (String) exchange.getAttribute("body");
            if (body != null && body.contains(OWNED_API_KEY)) {
                return ownedKeyExchange();
            }
            String keyId = body == null ? null : body.contains(GOOD_API_KEY) ? API_KEY_ID
                    : body.contains(OTHER_API_KEY) ? OTHER_API_KEY_ID : null;
            if (keyId == null) {
                return new StubServer.Answer(401, "application/problem+json",
                        "{\"status\":401,\"code\":\"API_KEY_INVALID\"}");
            }
            EXCHANGES.incrementAndGet();
            String jwt = TestJwts.sign(new JWTClaimsSet.Builder().subject("user-with-key")
                    .claim("tid", UUID.randomUUID().toString())
                    .claim("permissions", List.of("claims:read"))
                    .claim("api_key_id", keyId)
                    .build(), Duration.ofMinutes(5));
            return StubServer.Answer.json(200, "{\"access_token\":\"" + jwt + "\",\"token_type\":\"Bearer\","
                    + "\"expires_in\":300,\"api_key_id\":\"" + keyId + "\",\"scope\":\"claims:read\"}");
        });
    }

    private static StubServer.Answer ownedKeyExchange() {
        String state = OWNER_STATE.get();
        if ("locked".equals(state)) {
            return new StubServer.Answer(401, "application/problem+json", "{\"status\":401,\"code\":\"API_KEY_INVALID\"}");
        }
        EXCHANGES.incrementAndGet();
        List<String> permissions = "admin".equals(state) ? List.of("users:admin", "claims:read") : List.of("claims:read");
        String jwt = TestJwts.sign(new JWTClaimsSet.Builder().subject(OWNER_ID)
                .claim("tid", UUID.randomUUID().toString())
                .claim("permissions", permissions)
                .claim("api_key_id", OWNED_API_KEY_ID)
                .build(), Duration.ofMinutes(5));
        return StubServer.Answer.json(200, "{\"access_token\":\"" + jwt + "\",\"token_type\":\"Bearer\","
                + "\"expires_in\":300,\"api_key_id\":\"" + OWNED_API_KEY_ID + "\",\"scope\":\""
                + String.join(" ", permissions) + "\"}");
    }

    /** The client of the public listener, made once the context has started and the port is bound. */
    @org.springframework.boot.test.context.TestConfiguration(proxyBeanMethods = false)
    static class PublicClient {

        @org.springframework.context.annotation.Bean
        @org.springframework.context.annotation.Lazy
        org.springframework.test.web.reactive.server.WebTestClient webTestClient(
                org.springframework.core.env.Environment environment) {
            return org.springframework.test.web.reactive.server.WebTestClient.bindToServer()
                    .baseUrl("http://localhost:" + environment.getProperty("local.server.port"))
                    .responseTimeout(Duration.ofSeconds(30)).build();
        }
    }

    /** The spans the gateway reports (Zipkin export is off in tests). */
    static final java.util.List<brave.handler.MutableSpan> SPANS = new java.util.concurrent.CopyOnWriteArrayList<>();

    @org.springframework.boot.test.context.TestConfiguration(proxyBeanMethods = false)
    static class SpanCapture {

        @org.springframework.context.annotation.Bean
        brave.handler.SpanHandler capturingSpanHandler() {
            return new brave.handler.SpanHandler() {
                @Override
                public boolean end(brave.propagation.TraceContext context, brave.handler.MutableSpan span, Cause cause) {
                    if (cause == Cause.FINISHED) {
                        SPANS.add(span);
                    }
                    return true;
                }
            };
        }
    }

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("clinicwave.gateway.jwt.jwk-set-uri", () -> AUTH.url() + "/oauth2/jwks");
        registry.add("clinicwave.gateway.jwt.issuer", () -> TestJwts.ISSUER);
        registry.add("clinicwave.gateway.jwt.jwks-refetch-min-interval", () -> "1s");
        registry.add("clinicwave.gateway.api-keys.exchange-uri", () -> AUTH.url() + "/internal/api-keys/exchange");
        registry.add("clinicwave.gateway.api-keys.client-secret", () -> "test-gateway-secret");
        registry.add("clinicwave.gateway.rate-limit.authenticated.limit", () -> "100000");
        registry.add("clinicwave.gateway.rate-limit.anonymous.limit", () -> "100000");
        registry.add("clinicwave.gateway.rate-limit.credentials.limit", () -> "3");
        registry.add("clinicwave.gateway.cors.allowed-origins", () -> "http://localhost:5173");
        // Requests from 127.0.0.2 come "through a load balancer" (tests bind their socket to it); 127.0.0.1 does not.
        registry.add("clinicwave.gateway.edge.trusted-proxies", () -> "127.0.0.2/32, 10.0.0.0/8");
        registry.add("clinicwave.gateway.edge.body-read-timeout", () -> "1s");
        registry.add("spring.cloud.discovery.enabled", () -> "true");
        for (String service : List.of("claims-service", "provider-connection-service")) {
            registry.add("spring.cloud.discovery.client.simple.instances." + service + "[0].uri", SERVICES::url);
        }
        registry.add("spring.cloud.discovery.client.simple.instances.auth-service[0].uri", AUTH::url);
        registry.add("spring.cloud.discovery.client.simple.instances.athena-service[0].uri", ATHENA::url);
        registry.add("resilience4j.circuitbreaker.instances.athena-service.minimum-number-of-calls", () -> "4");
        registry.add("resilience4j.circuitbreaker.instances.athena-service.sliding-window-size", () -> "4");
        registry.add("resilience4j.circuitbreaker.instances.athena-service.wait-duration-in-open-state", () -> "1s");
        registry.add("resilience4j.circuitbreaker.instances.athena-service.permitted-number-of-calls-in-half-open-state",
                () -> "2");
        registry.add("resilience4j.timelimiter.instances.athena-service.timeout-duration", () -> "2s");
    }

    static String userToken() {
        return TestJwts.user(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                List.of("connections:read", "claims:read"), List.of("patient"));
    }
}
