package com.clinicwave.testsupport;

import org.jspecify.annotations.Nullable;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real Kafka broker per JVM: {@code CLINICWAVE_TEST_KAFKA_BOOTSTRAP} when set, else Kafka's own KRaft broker
 * embedded in the test JVM (spring-kafka-test).
 */
public final class TestKafka {

    private static @Nullable TestKafka instance;

    private final String bootstrapServers;

    private TestKafka(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public static synchronized TestKafka get() {
        if (instance == null) {
            String configured = Infrastructure.configured("CLINICWAVE_TEST_KAFKA_BOOTSTRAP");
            if (configured != null) {
                instance = new TestKafka(configured);
            } else {
                EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
                broker.brokerProperty("auto.create.topics.enable", "true");
                broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
                broker.afterPropertiesSet();
                Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "test-kafka-stop"));
                instance = new TestKafka(broker.getBrokersAsString());
            }
        }
        return instance;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }
}
