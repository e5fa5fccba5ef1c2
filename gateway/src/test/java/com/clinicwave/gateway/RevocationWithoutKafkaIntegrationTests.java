package com.clinicwave.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.clinicwave.testsupport.TestJwts;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Revocation does not hang on Kafka: a replica whose Kafka broker is stopped still refuses a logged-out session's
 * token within a second, through auth-service's Redis channel ({@code auth:revocations}) — and so does every other
 * replica. The revocation is published exactly as auth-service's {@code RevokedTokens} does it: added to the sorted set
 * {@code auth:revoked}, then {@code PUBLISH auth:revocations "sid:<id> <expiry ms>"}.
 */
class RevocationWithoutKafkaIntegrationTests extends GatewayTestSupport {

    @Autowired
    WebTestClient first;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    Environment environment;

    @Test
    void withItsKafkaBrokerStoppedAReplicaRefusesALoggedOutSessionWithinOneSecond() throws Exception {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, "auth.events");
        broker.afterPropertiesSet();
        ConfigurableApplicationContext replica = null;
        try {
            replica = startReplica(environment, broker.getBrokersAsString());
            KafkaListenerEndpointRegistry listeners = replica.getBean(KafkaListenerEndpointRegistry.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var container = listeners.getListenerContainer("gateway-revocations");
                return container != null && container.getAssignedPartitions() != null
                        && !container.getAssignedPartitions().isEmpty();
            });
            WebTestClient second = WebTestClient.bindToServer()
                    .baseUrl("http://localhost:" + replica.getEnvironment().getProperty("local.server.port")).build();
            String token = userToken();
            String sid = (String) SignedJWT.parse(token).getJWTClaimsSet().getClaim("sid");
            // The replica has no discovery (test support turns it off): its unrouted path authenticates all the same.
            second.get().uri("/api/unrouted").headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isNotFound();
            first.get().uri("/api/connections").headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isOk();

            broker.destroy();

            // auth-service's logout, as RevokedTokens does it (the Kafka event cannot reach the replica).
            long expires = Instant.now().plusSeconds(630).toEpochMilli();
            redis.opsForZSet().add("auth:revoked", "sid:" + sid, expires);
            redis.convertAndSend("auth:revocations", "sid:" + sid + " " + expires);

            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(25)).untilAsserted(() -> {
                refusedAsRevoked(second, "/api/unrouted", token);
                refusedAsRevoked(first, "/api/connections", token);
            });
        } finally {
            if (replica != null) {
                replica.close();
            }
            broker.destroy();
        }
    }

    @Test
    void aStartingReplicaLoadsAuthServicesRevokedSetBeforeServing() throws Exception {
        String token = userToken();
        String jti = SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
        // In auth-service's set only: no Kafka event, no message while this replica was not listening.
        redis.opsForZSet().add("auth:revoked", "jti:" + jti, Instant.now().plusSeconds(630).toEpochMilli());
        try (ConfigurableApplicationContext replica = startReplica(environment,
                environment.getProperty("spring.kafka.bootstrap-servers"))) {
            WebTestClient client = WebTestClient.bindToServer()
                    .baseUrl("http://localhost:" + replica.getEnvironment().getProperty("local.server.port")).build();
            refusedAsRevoked(client, "/api/unrouted", token);
        }
    }

    private static void refusedAsRevoked(WebTestClient client, String path, String token) {
        client.get().uri(path).headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("TOKEN_REVOKED");
    }

    private static ConfigurableApplicationContext startReplica(Environment shared, String kafka) {
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
                .run("--server.port=0", "--management.server.port=0",
                        "--clinicwave.test.redis.enabled=false",
                        "--spring.data.redis.host=" + shared.getProperty("spring.data.redis.host"),
                        "--spring.data.redis.port=" + shared.getProperty("spring.data.redis.port"),
                        "--spring.data.redis.database=" + shared.getProperty("spring.data.redis.database"),
                        "--spring.kafka.bootstrap-servers=" + kafka,
                        // A stopped broker must not hold the replica's shutdown for a minute.
                        "--spring.kafka.consumer.properties.default.api.timeout.ms=2000",
                        "--spring.kafka.listener.shutdown-timeout=2s",
                        "--clinicwave.gateway.jwt.jwk-set-uri=" + AUTH.url() + "/oauth2/jwks",
                        "--clinicwave.gateway.jwt.issuer=" + TestJwts.ISSUER,
                        "--clinicwave.gateway.api-keys.exchange-uri=" + AUTH.url() + "/internal/api-keys/exchange",
                        "--clinicwave.gateway.api-keys.client-secret=test-gateway-secret",
                        "--clinicwave.gateway.rate-limit.enabled=false");
    }
}
