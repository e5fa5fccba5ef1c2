package com.clinicwave.testsupport.contracts;

import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.contract.verifier.converter.YamlContract;
import org.springframework.cloud.contract.verifier.messaging.MessageVerifierReceiver;
import org.springframework.cloud.contract.verifier.messaging.MessageVerifierSender;
import org.springframework.cloud.contract.verifier.messaging.internal.ContractVerifierMessage;
import org.springframework.cloud.contract.verifier.messaging.internal.ContractVerifierMessaging;
import org.springframework.cloud.contract.verifier.messaging.internal.ContractVerifierObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Messaging for Spring Cloud Contract's event contracts (docs/contracts.md), in the tests of modules that have the
 * contract verifier or stub runner on their test classpath. Spring Cloud Contract 5 has no Kafka support of its own:
 * <ul>
 *   <li>a producer's generated tests read the event its trigger wrote through the transactional outbox
 *       ({@link OutboxMessageReceiver}: the exact JSON the outbox relay publishes, made by the real serializer);</li>
 *   <li>a consumer's stub runner publishes a contract's event to the real (embedded) Kafka, keyed like the relay
 *       does, so the consumer's real {@code @KafkaListener} receives it ({@link KafkaMessageSender}).</li>
 * </ul>
 */
@AutoConfiguration
@ConditionalOnClass(ContractVerifierMessaging.class)
public class ContractMessagingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(MessageVerifierReceiver.class)
    OutboxMessageReceiver outboxMessageReceiver(ObjectProvider<DataSource> dataSource) {
        return new OutboxMessageReceiver(dataSource);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(KafkaTemplate.class)
    static class KafkaSenderConfiguration {

        @Bean
        @ConditionalOnMissingBean(MessageVerifierSender.class)
        KafkaMessageSender kafkaMessageSender(ObjectProvider<KafkaTemplate<?, ?>> kafka) {
            KafkaMessageSender.useTestContext(kafka::getIfAvailable);
            return new KafkaMessageSender(kafka::getIfAvailable);
        }
    }

    @Bean
    @ConditionalOnMissingBean
    ContractVerifierMessaging<ContractVerifierMessage> contractVerifierMessaging(
            ObjectProvider<MessageVerifierSender<ContractVerifierMessage>> sender,
            MessageVerifierReceiver<ContractVerifierMessage> receiver) {
        return new ContractVerifierMessaging<>(sender.getIfAvailable(NoKafka::new), receiver) {
            @Override
            protected ContractVerifierMessage convert(ContractVerifierMessage message) {
                return message;
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    ContractVerifierObjectMapper contractVerifierObjectMapper(ObjectProvider<JsonMapper> json) {
        JsonMapper mapper = json.getIfAvailable();
        return mapper == null ? new ContractVerifierObjectMapper() : new ContractVerifierObjectMapper(mapper);
    }

    /** A service without Kafka (athena-service) has HTTP contracts only. */
    private static final class NoKafka implements MessageVerifierSender<ContractVerifierMessage> {

        @Override
        public void send(ContractVerifierMessage message, String destination, @Nullable YamlContract contract) {
            throw new UnsupportedOperationException("This service has no Kafka to send " + destination + " to");
        }

        @Override
        public <T> void send(T payload, @Nullable Map<String, Object> headers, String destination,
                @Nullable YamlContract contract) {
            throw new UnsupportedOperationException("This service has no Kafka to send " + destination + " to");
        }
    }
}
