package com.clinicwave.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.clinicwave.gateway.revocation.RevocationList;
import com.clinicwave.testsupport.TestJwts;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Two gateway replicas against one Kafka and one Redis: the shared test context and a second application context
 * started here. A revocation event must be applied by both within a second.
 */
class RevocationIntegrationTests extends GatewayTestSupport {

    private static ConfigurableApplicationContext second;

    @Autowired
    WebTestClient first;

    @Autowired
    Environment environment;

    @Autowired
    KafkaTemplate<String, String> kafka;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    RevocationList revocations;

    @BeforeAll
    static void startSecondReplica(@Autowired Environment environment) {
        second = startReplica(environment);
    }

    @AfterAll
    static void stopSecondReplica() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aRevokedTokenIsRefusedByEveryReplicaWithinOneSecond() throws Exception {
        String token = userToken();
        String jti = SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
        WebTestClient other = clientOf(second);
        awaitListening(listeners);
        awaitListening(second.getBean(KafkaListenerEndpointRegistry.class));
        // Both replicas have validated (and cached) the token.
        first.get().uri("/api/connections").headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isOk();
        other.get().uri("/api/unrouted").headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isNotFound();

        publish("token.revoked", Map.of("jti", jti, "expires_at", Instant.now().plusSeconds(600).toString()));

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(25)).untilAsserted(() -> {
            refusedAsRevoked(first, "/api/connections", token);
            refusedAsRevoked(other, "/api/unrouted", token);
        });
    }

    @Test
    void aRevokedSessionRefusesEveryTokenOfIt() throws Exception {
        String token = userToken();
        String sid = (String) SignedJWT.parse(token).getJWTClaimsSet().getClaim("sid");
        awaitListening(listeners);
        first.get().uri("/api/connections").headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isOk();

        publish("session.revoked", Map.of("sid", sid, "user_id", UUID.randomUUID().toString(),
                "expires_at", Instant.now().plusSeconds(600).toString()));

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(25))
                .untilAsserted(() -> refusedAsRevoked(first, "/api/connections", token));
    }

    @Test
    void aRevokedApiKeyStopsWorkingWithinOneSecond() {
        awaitListening(listeners);
        first.get().uri("/api/connections").header("X-API-Key", GOOD_API_KEY).exchange().expectStatus().isOk();

        publish("apikey.revoked", Map.of("api_key_id", API_KEY_ID, "user_id", "user-with-key",
                "expires_at", Instant.now().plusSeconds(600).toString()));

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(25))
                .untilAsserted(() -> refusedAsRevoked(first, "/api/connections", null));
    }

    @Test
    void aStartingReplicaLoadsTheLiveDenyListBeforeServing() throws Exception {
        String token = userToken();
        String jti = SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
        // Only in Redis (no event on Kafka): the new replica can know it only from there.
        revocations.revoke(RevocationList.Kind.JTI, jti, Instant.now().plusSeconds(600)).block();

        try (ConfigurableApplicationContext third = startReplica(environment)) {
            refusedAsRevoked(clientOf(third), "/api/unrouted", token);
        }
    }

    private void publish(String type, Map<String, Object> data) {
        String subject = UUID.randomUUID().toString();
        Map<String, Object> envelope = Map.of("id", UUID.randomUUID().toString(), "source", "clinicwave/auth-service",
                "type", type, "time", Instant.now().toString(), "subject", subject, "data", data);
        kafka.send("auth.events", subject, JSONObjectUtils.toJSONString(envelope)).join();
    }

    private static void refusedAsRevoked(WebTestClient client, String path, String token) {
        client.get().uri(path)
                .headers(h -> {
                    if (token == null) {
                        h.set("X-API-Key", GOOD_API_KEY);
                    } else {
                        h.setBearerAuth(token);
                    }
                })
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("TOKEN_REVOKED");
    }

    private static void awaitListening(KafkaListenerEndpointRegistry registry) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var container = registry.getListenerContainer("gateway-revocations");
            return container != null && container.getAssignedPartitions() != null
                    && !container.getAssignedPartitions().isEmpty();
        });
    }

    private static WebTestClient clientOf(ConfigurableApplicationContext context) {
        String port = context.getEnvironment().getProperty("local.server.port");
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    /** Another replica: same Kafka (test support), same Redis logical database as the shared context. */
    private static ConfigurableApplicationContext startReplica(Environment shared) {
        return new SpringApplicationBuilder(GatewayApplication.class)
                // Own Netty resources: closing one replica must not stop the event loops of another in this JVM.
                .initializers(context -> context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
                    @Override
                    public Object postProcessBeforeInitialization(Object bean, String name) {
                        if (bean instanceof ReactorResourceFactory factory) {
                            factory.setUseGlobalResources(false);
                        }
                        return bean;
                    }
                }))
                .run(
                "--server.port=0", "--management.server.port=0", "--clinicwave.gateway.port=0",
                "--clinicwave.test.redis.enabled=false",
                "--spring.data.redis.host=" + shared.getProperty("spring.data.redis.host"),
                "--spring.data.redis.port=" + shared.getProperty("spring.data.redis.port"),
                "--spring.data.redis.database=" + shared.getProperty("spring.data.redis.database"),
                "--clinicwave.gateway.jwt.jwk-set-uri=" + AUTH.url() + "/oauth2/jwks",
                "--clinicwave.gateway.jwt.issuer=" + TestJwts.ISSUER,
                "--clinicwave.gateway.api-keys.exchange-uri=" + AUTH.url() + "/internal/api-keys/exchange",
                "--clinicwave.gateway.api-keys.client-secret=test-gateway-secret",
                "--clinicwave.gateway.rate-limit.enabled=false");
    }

}
