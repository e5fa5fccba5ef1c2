package com.clinicwave.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clinicwave.platform.events.OutboxRelay;
import com.clinicwave.platform.events.OutboxWriter;
import com.clinicwave.platform.events.ProcessedEvents;
import com.clinicwave.testsupport.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(classes = PlatformTestApplication.class, properties = {
    "spring.sql.init.mode=always",
    "clinicwave.outbox.poll-interval=1h"
})
class OutboxIntegrationTests {

    @Autowired
    OutboxWriter outbox;
    @Autowired
    OutboxRelay relay;
    @Autowired
    ProcessedEvents processed;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    JsonMapper json;

    @Test
    void anEventWrittenInACommittedTransactionIsPublishedOnceWithItsEnvelope() {
        String topic = "test.events." + UUID.randomUUID();
        String subject = UUID.randomUUID().toString();
        tx.executeWithoutResult(s -> outbox.append(topic, "thing.created", subject, "tenant-1", Map.of("name", "x")));

        assertThat(relay.relayBatch()).isGreaterThanOrEqualTo(1);
        assertThat(relay.relayBatch()).isZero();

        List<ConsumerRecord<String, String>> records = consume(topic, 1);
        assertThat(records).hasSize(1);
        assertThat(records.getFirst().key()).isEqualTo(subject);
        JsonNode envelope = json.readTree(records.getFirst().value());
        assertThat(envelope.path("type").asString()).isEqualTo("thing.created");
        assertThat(envelope.path("source").asString()).isEqualTo("clinicwave/platform-test");
        assertThat(envelope.path("tenant").asString()).isEqualTo("tenant-1");
        assertThat(envelope.path("data").path("name").asString()).isEqualTo("x");
    }

    @Test
    void aRolledBackChangePublishesNothing() {
        String subject = UUID.randomUUID().toString();
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
            outbox.append("test.rollback", "thing.created", subject, null, Map.of());
            throw new IllegalStateException("the change failed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(jdbc.sql("select count(*) from event_outbox where event_key = :k").param("k", subject)
                .query(Long.class).single()).isZero();
    }

    @Test
    void appendOutsideATransactionIsRefused() {
        assertThatThrownBy(() -> outbox.append("t", "x", "s", null, Map.of()))
                .hasMessageContaining("transaction");
    }

    @Test
    void aRedeliveredEventIsRecognised() {
        String id = UUID.randomUUID().toString();
        Boolean first = tx.execute(s -> processed.firstDelivery("tests", id));
        Boolean again = tx.execute(s -> processed.firstDelivery("tests", id));
        assertThat(first).isTrue();
        assertThat(again).isFalse();
    }

    private static List<ConsumerRecord<String, String>> consume(String topic, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.get().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "outbox-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
