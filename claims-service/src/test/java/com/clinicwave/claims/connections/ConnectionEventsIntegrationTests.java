package com.clinicwave.claims.connections;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.clinicwave.claims.ClaimsIntegrationTest;
import com.clinicwave.testsupport.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;

class ConnectionEventsIntegrationTests extends ClaimsIntegrationTest {

    private static final Instant AT = Instant.parse("2024-06-01T00:00:00Z");

    @Autowired
    KafkaTemplate<String, String> kafka;

    private String envelope(String eventId, String type, UUID connection, String user, String extra) {
        return """
                {"id":"%s","source":"clinicwave/provider-connection-service","type":"%s","time":"%s",
                 "subject":"%s","tenant":"%s","data":{"connection_id":"%s","consumer_id":"%s","tenant_id":"%s",
                 "provider_key":"trellis"%s}}
                """.formatted(eventId, type, Instant.now(), connection, TENANT, connection, user, TENANT, extra);
    }

    private void publish(UUID connection, String value) throws Exception {
        kafka.send("connection.events", connection.toString(), value).get();
    }

    private boolean processed(String eventId) {
        return jdbc.sql("select count(*) from processed_event where event_id = :id").param("id", eventId)
                .query(Long.class).single() == 1;
    }

    private UUID createdAndSynced(String user, String eventId) throws Exception {
        UUID connection = UUID.randomUUID();
        stubAccessToken(connection, "fhir");
        wiremock.stubFor(get(urlPathEqualTo(eobPath(connection))).willReturn(okJson(bundle(connection, List.of(
                eob("e1", "professional", "2024-01-05", "10.00", "1.00", "complete", AT),
                eob("e2", "professional", "2024-01-06", "20.00", "2.00", "complete", AT)), null))));
        publish(connection, envelope(eventId, "connection.created", connection, user,
                ",\"provider_type\":\"fhir\",\"status\":\"active\""));
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "select count(*) from sync_run where connection_id = :id and status = 'succeeded'", connection) == 1);
        return connection;
    }

    @Test
    void aCreatedConnectionGetsItsInitialSyncWithoutUserAction() throws Exception {
        String user = user();
        UUID connection = createdAndSynced(user, UUID.randomUUID().toString());

        assertThat(jdbc.sql("select trigger from sync_run where connection_id = :id").param("id", connection)
                .query(String.class).single()).isEqualTo("initial");
        Answer claims = call("GET", "/api/connections/" + connection + "/claims", userToken(user), null);
        assertThat(claims.body().get("claims")).hasSize(2);
        Connection projected = connections.find(connection).orElseThrow();
        assertThat(projected.consumerId()).isEqualTo(user);
        assertThat(projected.lastSyncAt()).isNotNull();
        assertThat(projected.nextSyncAt()).isAfter(Instant.now().plusSeconds(3600));
    }

    @Test
    void aRedeliveredEventDoesNoDuplicateWork() throws Exception {
        String user = user();
        String eventId = UUID.randomUUID().toString();
        UUID connection = createdAndSynced(user, eventId);

        publish(connection, envelope(eventId, "connection.created", connection, user,
                ",\"provider_type\":\"fhir\",\"status\":\"active\""));
        // A later event of the same connection (same partition) proves the redelivery was consumed before it.
        String marker = UUID.randomUUID().toString();
        publish(connection, envelope(marker, "connection.refreshed", connection, user, ""));
        await().atMost(Duration.ofSeconds(30)).until(() -> processed(marker));

        assertThat(count("select count(*) from sync_run where connection_id = :id", connection)).isEqualTo(1);
        assertThat(count("select count(*) from claim where connection_id = :id", connection)).isEqualTo(2);
    }

    @Test
    void reauthRequiredPausesTheScheduleAndRefreshedResumesIt() throws Exception {
        String user = user();
        UUID connection = createdAndSynced(user, UUID.randomUUID().toString());

        String reauth = UUID.randomUUID().toString();
        publish(connection, envelope(reauth, "connection.reauth_required", connection, user,
                ",\"reason\":\"refresh_token_expired\""));
        await().atMost(Duration.ofSeconds(30)).until(() -> processed(reauth));
        Connection paused = connections.find(connection).orElseThrow();
        assertThat(paused.status()).isEqualTo("reauth_required");
        assertThat(paused.schedulePaused()).isTrue();

        String refreshed = UUID.randomUUID().toString();
        publish(connection, envelope(refreshed, "connection.refreshed", connection, user,
                ",\"token_expires_at\":\"2099-01-01T00:00:00Z\""));
        await().atMost(Duration.ofSeconds(30)).until(() -> processed(refreshed));
        Connection resumed = connections.find(connection).orElseThrow();
        assertThat(resumed.status()).isEqualTo("active");
        assertThat(resumed.schedulePaused()).isFalse();
    }

    @Test
    void aDeletedConnectionLosesItsClaims() throws Exception {
        String user = user();
        UUID connection = createdAndSynced(user, UUID.randomUUID().toString());

        String deleted = UUID.randomUUID().toString();
        publish(connection, envelope(deleted, "connection.deleted", connection, user, ""));
        await().atMost(Duration.ofSeconds(30)).until(() -> processed(deleted));

        assertThat(count("select count(*) from claim where connection_id = :id", connection)).isZero();
        assertThat(call("GET", "/api/connections/" + connection + "/claims", userToken(user), null).status())
                .isEqualTo(404);
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterTopic() throws Exception {
        String poison = "not an envelope " + UUID.randomUUID();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.get().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("connection.events.dlt"));
            kafka.send("connection.events", "k", poison).get();
            boolean[] found = {false};
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    found[0] |= poison.equals(record.value());
                }
                return found[0];
            });
        }
    }
}
