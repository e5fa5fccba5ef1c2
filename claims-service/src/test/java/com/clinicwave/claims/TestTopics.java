package com.clinicwave.claims;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;

/** The topic provider-connection-service owns, created up front so the listener is assigned at once. */
@TestConfiguration(proxyBeanMethods = false)
class TestTopics {

    @Bean
    NewTopic connectionEventsTopic() {
        return TopicBuilder.name("connection.events").partitions(1).build();
    }
}
