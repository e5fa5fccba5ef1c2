package com.clinicwave.connections;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.clinicwave.connections.connection.Connection;
import com.clinicwave.connections.crypto.TokenCipher;
import com.clinicwave.testsupport.TestJwts;
import com.clinicwave.testsupport.TestKafka;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Refresh, rotation, re-authorization, outages, key rotation and the internal token API. */
class TokenLifecycleIntegrationTests extends IntegrationTestSupport {

    private static final String SERVICE = TestJwts.service("claims-service", List.of("connections:token"));

    @Test
    void tenConcurrentRefreshesMakeExactlyOneProviderCall() throws Exception {
        String user = newUser();
        String id = connect("trellis", user, "at-conc", "rt-conc");
        PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/trellis/oauth2/token")).withRequestBody(containing("refresh_token=rt-conc"))
                .willReturn(okJson("""
                        {"access_token":"at-conc-2","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-conc-2"}
                        """).withFixedDelay(300)));
        String token = userToken(user);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            for (int i = 0; i < 10; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return post("/api/oauth/token/refresh", token, Map.of("connection_id", id));
                }));
            }
            start.countDown();
            for (Future<Response> r : results) {
                assertThat(r.get().status()).isEqualTo(200);
                assertThat(r.get().body().path("status").asString()).isEqualTo("active");
            }
        }
        PROVIDERS.verify(1, postRequestedFor(urlPathEqualTo("/trellis/oauth2/token"))
                .withRequestBody(containing("grant_type=refresh_token")).withRequestBody(containing("refresh_token=rt-conc")));
        // The rotated refresh token replaced the old one; services get the new access token.
        assertThat(get("/internal/connections/" + id + "/access-token", SERVICE).body().path("access_token").asString())
                .isEqualTo("at-conc-2");
    }

    @Test
    void invalidGrantMarksTheConnectionReauthRequiredAndPublishesTheEvent() {
        String user = newUser();
        String id = connect("athenahealth", user, "at-gone", "rt-gone");
        PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/athenahealth/oauth2/token")).withRequestBody(containing("refresh_token=rt-gone"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"refresh token revoked\"}")));
        try (KafkaConsumer<String, String> consumer = consumer()) {
            Response refresh = post("/api/oauth/token/refresh", userToken(user), Map.of("connection_id", id));
            assertThat(refresh.status()).isEqualTo(409);
            assertThat(refresh.code()).isEqualTo("REAUTH_REQUIRED");

            JsonNode listed = get("/api/connections", userToken(user)).body().path("connections").get(0);
            assertThat(listed.path("status").asString()).isEqualTo("reauth_required");
            assertThat(listed.path("token_status").asString()).isEqualTo("reauth_required");
            Map<String, Object> row = jdbc.sql("select access_token_ciphertext, refresh_token_ciphertext from connection "
                    + "where id = :id").param("id", UUID.fromString(id)).query().singleRow();
            assertThat(row.get("access_token_ciphertext")).isNull();
            assertThat(row.get("refresh_token_ciphertext")).isNull();

            Response internal = get("/internal/connections/" + id + "/access-token", SERVICE);
            assertThat(internal.status()).isEqualTo(409);
            assertThat(internal.code()).isEqualTo("REAUTH_REQUIRED");

            List<JsonNode> events = new CopyOnWriteArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (id.equals(record.key())) {
                        events.add(json.readTree(record.value()));
                    }
                }
                return events.stream().anyMatch(e -> e.path("type").asString().equals("connection.reauth_required"));
            });
            JsonNode event = events.stream().filter(e -> e.path("type").asString().equals("connection.reauth_required"))
                    .findFirst().orElseThrow();
            assertThat(event.path("subject").asString()).isEqualTo(id);
            assertThat(event.path("tenant").asString()).isEqualTo(TENANT);
            assertThat(event.path("data").path("connection_id").asString()).isEqualTo(id);
            assertThat(event.path("data").path("consumer_id").asString()).isEqualTo(user);
            assertThat(event.path("data").path("provider_key").asString()).isEqualTo("athenahealth");
            assertThat(event.path("data").path("reason").asString()).isEqualTo("invalid_grant");
        }
    }

    @Test
    void providerDownGivesA503AndCorruptsNothing() {
        String user = newUser();
        String id = connect("cerner", user, "at-down", "rt-down");
        Map<String, Object> before = tokens(id);
        PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/cerner/oauth2/token")).withRequestBody(containing("refresh_token=rt-down"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Response refresh = post("/api/oauth/token/refresh", userToken(user), Map.of("connection_id", id));
        assertThat(refresh.status()).isEqualTo(503);
        assertThat(refresh.code()).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(refresh.body().path("trace_id").isMissingNode()).isFalse();
        // Not retried: the provider may have rotated the refresh token before the connection broke.
        PROVIDERS.verify(1, postRequestedFor(urlPathEqualTo("/cerner/oauth2/token"))
                .withRequestBody(containing("refresh_token=rt-down")));
        assertThat(tokens(id)).usingRecursiveComparison().isEqualTo(before);
        assertThat(get("/api/connections", userToken(user)).body().path("connections").get(0).path("status").asString())
                .isEqualTo("active");
        assertThat(get("/internal/connections/" + id + "/access-token", SERVICE).body().path("access_token").asString())
                .isEqualTo("at-down");

        // A 5xx on the code exchange: no connection appears.
        String other = newUser();
        String state = query(initiate("cerner", other).body().path("oauth_url").asString()).get("state");
        PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/cerner/oauth2/token")).withRequestBody(containing("code=code-down"))
                .willReturn(aResponse().withStatus(503)));
        Response callback = get("/api/oauth/callback?code=code-down&state=" + state, userToken(other),
                "Accept", "application/json");
        assertThat(callback.status()).isEqualTo(503);
        assertThat(callback.code()).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(get("/api/connections", userToken(other)).body().path("connections").size()).isZero();

        // Revocation failing: the connection stays, whole, and can be deleted later.
        PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/cerner/oauth2/revoke")).willReturn(aResponse().withStatus(503)));
        Response delete = delete("/api/connections/" + id, userToken(user));
        assertThat(delete.status()).isEqualTo(503);
        assertThat(tokens(id)).usingRecursiveComparison().isEqualTo(before);
    }

    @Test
    void afterKeyRotationOldConnectionsStillWorkAndAreReencrypted() {
        String user = newUser();
        String id = connect("trellis", user, "at-new-key", "rt-new-key");
        UUID uuid = UUID.fromString(id);
        // Make it a connection stored before the rotation: tokens under the old key only.
        TokenCipher oldCipher = new TokenCipher(OLD_KEYSET);
        TokenCipher currentCipher = new TokenCipher(ROTATED_KEYSET);
        jdbc.sql("update connection set access_token_ciphertext = :at, refresh_token_ciphertext = :rt where id = :id")
                .param("at", oldCipher.encrypt("at-legacy", Connection.accessTokenAd(uuid)))
                .param("rt", oldCipher.encrypt("rt-legacy", Connection.refreshTokenAd(uuid)))
                .param("id", uuid).update();
        assertThat(currentCipher.isUnderPrimary(tokens(id).get("access_token_ciphertext") instanceof byte[] b ? b : null))
                .isFalse();

        assertThat(get("/internal/connections/" + id + "/access-token", SERVICE).body().path("access_token").asString())
                .isEqualTo("at-legacy");

        String tenantAdmin = TestJwts.user(newUser(), TENANT, List.of("connections:admin"), List.of("tenant_admin"));
        assertThat(post("/api/admin/connections/re-encrypt", tenantAdmin, Map.of()).status()).isEqualTo(403);
        String admin = TestJwts.user(newUser(), UUID.randomUUID().toString(), List.of("providers:platform-admin"),
                List.of("platform_admin"));
        Response report = post("/api/admin/connections/re-encrypt", admin, Map.of());
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.body().path("connections_reencrypted").asInt()).isGreaterThanOrEqualTo(1);

        byte[] at = (byte[]) tokens(id).get("access_token_ciphertext");
        byte[] rt = (byte[]) tokens(id).get("refresh_token_ciphertext");
        assertThat(currentCipher.isUnderPrimary(at)).isTrue();
        assertThat(currentCipher.isUnderPrimary(rt)).isTrue();
        assertThat(currentCipher.decrypt(rt, Connection.refreshTokenAd(uuid))).isEqualTo("rt-legacy");
        assertThat(get("/internal/connections/" + id + "/access-token", SERVICE).body().path("access_token").asString())
                .isEqualTo("at-legacy");
        // A ciphertext cannot be moved to another row: the associated data binds it to its connection.
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> currentCipher.decrypt(at, Connection.accessTokenAd(UUID.randomUUID())))
                .isInstanceOf(IllegalStateException.class);
        assertThat(post("/api/admin/connections/re-encrypt", userToken(user), Map.of()).status()).isEqualTo(403);
    }

    @Test
    void internalApiIsForServicesWithTheTokenScopeOnly() {
        String user = newUser();
        String id = connect("trellis", user, "at-internal", "rt-internal");
        String path = "/internal/connections/" + id + "/access-token";
        assertThat(get(path, null).status()).isEqualTo(401);
        assertThat(get(path, "not-a-jwt").code()).isEqualTo("TOKEN_INVALID");
        assertThat(get(path, userToken(user)).status()).isEqualTo(403);
        assertThat(get(path, TestJwts.service("demo-service", List.of("connections:read"))).code())
                .isEqualTo("INSUFFICIENT_PERMISSIONS");

        Response ok = get(path, SERVICE);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().path("access_token").asString()).isEqualTo("at-internal");
        assertThat(ok.body().path("consumer_id").asString()).isEqualTo(user);
        assertThat(ok.body().path("tenant_id").asString()).isEqualTo(TENANT);
        assertThat(ok.body().path("provider_type").asString()).isEqualTo("fhir");
        assertThat(ok.body().path("fhir_base_url").asString()).isEqualTo(PROVIDERS.baseUrl() + "/trellis/fhir");
        assertThat(ok.body().path("patient_id").asString()).isEqualTo("patient-001");
        assertThat(ok.body().has("refresh_token")).isFalse();

        Response info = get("/internal/connections/" + id, SERVICE);
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.body().path("status").asString()).isEqualTo("active");
        assertThat(info.body().has("access_token")).isFalse();

        assertThat(get("/internal/connections/" + UUID.randomUUID() + "/access-token", SERVICE).code())
                .isEqualTo("NOT_FOUND");
        assertThat(jdbc.sql("select count(*) from audit_event where connection_id = :id and actor = 'claims-service'")
                .param("id", UUID.fromString(id)).query(Long.class).single()).isEqualTo(2);

        PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/trellis/oauth2/token")).withRequestBody(containing("refresh_token=rt-internal"))
                .willReturn(okJson("""
                        {"access_token":"at-internal-2","token_type":"Bearer","expires_in":3600}
                        """)));
        Response forced = get(path + "?force_refresh=true", SERVICE);
        assertThat(forced.body().path("access_token").asString()).isEqualTo("at-internal-2");
    }

    @Test
    void expiringTokensAreRefreshedBeforeBeingHandedOut() {
        String user = newUser();
        String id = connect("trellis", user, "at-expiring", "rt-expiring");
        jdbc.sql("update connection set token_expires_at = now() + interval '10 seconds' where id = :id")
                .param("id", UUID.fromString(id)).update();
        PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/trellis/oauth2/token")).withRequestBody(containing("refresh_token=rt-expiring"))
                .willReturn(okJson("""
                        {"access_token":"at-expiring-2","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-expiring-2"}
                        """)));
        assertThat(get("/internal/connections/" + id + "/access-token", SERVICE).body().path("access_token").asString())
                .isEqualTo("at-expiring-2");
    }

    private Map<String, Object> tokens(String id) {
        return jdbc.sql("select status, access_token_ciphertext, refresh_token_ciphertext, token_expires_at "
                + "from connection where id = :id").param("id", UUID.fromString(id)).query().singleRow();
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.get().bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "pcs-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of("connection.events"));
        return consumer;
    }
}
