package com.clinicwave.platform;

import com.clinicwave.platform.events.OutboxRelay;
import com.clinicwave.platform.events.OutboxWriter;
import com.clinicwave.platform.events.ProcessedEvents;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** The transactional outbox, for services with a database (and, to relay, Kafka). */
@AutoConfiguration(after = PlatformAutoConfiguration.class,
        afterName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
            "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
            "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration"})
@ConditionalOnClass({JdbcClient.class, KafkaTemplate.class})
@ConditionalOnBean({JdbcClient.class, PlatformTransactionManager.class})
@ConditionalOnProperty(prefix = "clinicwave.outbox", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableScheduling
public class OutboxAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    OutboxWriter outboxWriter(JdbcClient jdbc, JsonMapper json, Clock clock,
            @Value("${spring.application.name}") String applicationName) {
        return new OutboxWriter(jdbc, json, "clinicwave/" + applicationName, clock);
    }

    @Bean
    @ConditionalOnMissingBean
    ProcessedEvents processedEvents(JdbcClient jdbc) {
        return new ProcessedEvents(jdbc);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(KafkaTemplate.class)
    OutboxRelay outboxRelay(JdbcClient jdbc, KafkaTemplate<String, String> kafka,
            PlatformTransactionManager transactionManager, PlatformProperties properties, MeterRegistry meters) {
        return new OutboxRelay(jdbc, kafka, new TransactionTemplate(transactionManager),
                properties.outbox().batchSize(), properties.outbox().retention(), meters);
    }
}
