package com.clinicwave.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.clinicwave.testsupport.TestJwts;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Revocation does not hang on Kafka: a replica whose Kafka broker is stopped still refuses a logged-out session's
 * token, and a revoked API key, within a second, through auth-service's Redis channel ({@code auth:revocations}) — and
 * so does every other replica. The revocation is published exactly as auth-service's {@code RevokedTokens} does it:
 * added to the sorted set {@code auth:revoked}, then {@code PUBLISH auth:revocations "sid:<id> <expiry ms>"} (or
 * {@code key:<api key id> ...}).
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
        String token = userToken();
        String sid = (String) SignedJWT.parse(token).getJWTClaimsSet().getClaim("sid");
        // auth-service's logout, as RevokedTokens does it (the Kafka event cannot reach the replica).
        withKafkaStoppedForASecondReplica("sid:" + sid, h -> h.setBearerAuth(token));
    }

    @Test
    void withItsKafkaBrokerStoppedAReplicaRefusesARevokedApiKeyWithinOneSecond() throws Exception {
        // auth-service's ApiKeys.revoke, as RevokedTokens.revokeApiKey does it: member key:<api key id>. Both replicas
        // hold the key's exchanged token in their caches; the revocation drops it and denies the key's tokens.
        withKafkaStoppedForASecondReplica("key:" + OTHER_API_KEY_ID, h -> h.set("X-API-Key", OTHER_API_KEY));
    }

    /**
     * Starts a second replica on its own Kafka broker, lets both replicas accept the credential, stops the broker,
     * publishes the revocation of {@code member} only on auth-service's Redis set and channel, and expects both
     * replicas to refuse the credential within a second.
     */
    private void withKafkaStoppedForASecondReplica(String member, Consumer<HttpHeaders> credential) throws Exception {
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
            // The replica has no discovery (test support turns it off): its unrouted path authenticates all the same.
            second.get().uri("/api/unrouted").headers(credential).exchange().expectStatus().isNotFound();
            first.get().uri("/api/connections").headers(credential).exchange().expectStatus().isOk();

            String[] address = broker.getBrokersAsString().split(",")[0].split(":");
            broker.destroy();
            // The broker is really gone: nothing listens on its address any more.
            assertThatThrownBy(() -> new Socket(address[0], Integer.parseInt(address[1])).close())
                    .isInstanceOf(IOException.class);

            long expires = Instant.now().plusSeconds(630).toEpochMilli();
            redis.opsForZSet().add("auth:revoked", member, expires);
            redis.convertAndSend("auth:revocations", member + " " + expires);

            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(25)).untilAsserted(() -> {
                refusedAsRevoked(second, "/api/unrouted", credential);
                refusedAsRevoked(first, "/api/connections", credential);
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
        // Also a user's tokens issued before a role change (sub:<user id>:<not before epoch ms>).
        String earlier = userToken();
        String user = SignedJWT.parse(earlier).getJWTClaimsSet().getSubject();
        Instant changed = Instant.now().plusSeconds(1);
        redis.opsForZSet().add("auth:revoked", "sub:" + user + ":" + changed.toEpochMilli(),
                changed.plusSeconds(630).toEpochMilli());
        try (ConfigurableApplicationContext replica = startReplica(environment,
                environment.getProperty("spring.kafka.bootstrap-servers"))) {
            WebTestClient client = WebTestClient.bindToServer()
                    .baseUrl("http://localhost:" + replica.getEnvironment().getProperty("local.server.port")).build();
            refusedAsRevoked(client, "/api/unrouted", h -> h.setBearerAuth(token));
            refusedAsRevoked(client, "/api/unrouted", h -> h.setBearerAuth(earlier));
        }
    }

    private static void refusedAsRevoked(WebTestClient client, String path, Consumer<HttpHeaders> credential) {
        client.get().uri(path).headers(credential).exchange()
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
