package com.clinicwave.claims.connections;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Consumer error handling: transient failures (database down) are retried with backoff; a message that can never
 * be processed, or still fails after the retries, goes to {@code <topic>.dlt} so it cannot block the partition.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfig {

    @Bean
    DefaultErrorHandler kafkaErrorHandler(KafkaOperations<Object, Object> kafka) {
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(kafka,
                (record, ex) -> new TopicPartition(record.topic() + ".dlt", -1));
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxElapsedTime(10_000);
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        handler.addNotRetryableExceptions(MalformedEventException.class);
        return handler;
    }

    @Bean
    NewTopic connectionEventsDeadLetterTopic() {
        return TopicBuilder.name("connection.events.dlt").partitions(1).build();
    }

    @Bean
    NewTopic claimsEventsTopic() {
        return TopicBuilder.name("claims.events").partitions(3).build();
    }
}
