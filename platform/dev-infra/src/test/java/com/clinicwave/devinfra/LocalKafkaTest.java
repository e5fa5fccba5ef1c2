package com.clinicwave.devinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local broker started again on the same data directory (bin/platform after a crash or down/up) has the same
 * cluster id, the platform's topics, the records written before and the offsets consumer groups committed.
 * (The whole-suite KafkaRestartSystemTests kills it with SIGKILL under the running suite.)
 */
class LocalKafkaTest {

    @TempDir
    Path dir;

    @Test
    void aBrokerStartedAgainOnItsDataDirectoryKeepsClusterIdRecordsAndCommittedOffsets() throws Exception {
        int port = freePort();
        int controllerPort = freePort();
        String bootstrap = "localhost:" + port;
        TopicPartition partition = new TopicPartition("auth.events", 0);
        String clusterId;
        KafkaRaftServer first = LocalInfrastructure.startKafka(dir, port, controllerPort);
        try {
            clusterId = clusterId(bootstrap);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                    "acks", "all"), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>("auth.events", 0, "k", "event-" + i)).get(30, TimeUnit.SECONDS);
                }
            }
            try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
                consumer.commitSync(Map.of(partition, new OffsetAndMetadata(2)));
            }
        } finally {
            first.shutdown();
            first.awaitShutdown();
        }

        KafkaRaftServer again = LocalInfrastructure.startKafka(dir, port, controllerPort);
        try {
            assertThat(clusterId(bootstrap)).isEqualTo(clusterId);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .containsAll(LocalInfrastructure.TOPICS);
            }
            try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
                assertThat(consumer.committed(java.util.Set.of(partition)).get(partition).offset()).isEqualTo(2);
                assertThat(consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition))
                        .isEqualTo(3);
            }
        } finally {
            again.shutdown();
            again.awaitShutdown();
        }
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "local-kafka-test");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static String clusterId(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
