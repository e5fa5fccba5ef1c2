package com.clinicwave.testsupport.contracts;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.contract.verifier.converter.YamlContract;
import org.springframework.cloud.contract.verifier.messaging.MessageVerifierSender;
import org.springframework.cloud.contract.verifier.messaging.internal.ContractVerifierMessage;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The consumer side of an event contract: the stub runner's triggered event goes to the real Kafka topic
 * ({@code sentTo}) as the JSON text of the contract's body, keyed by header {@code kafka_messageKey} or else the
 * envelope's {@code subject} (the outbox relay's key), and waits until the broker has it.
 */
public class KafkaMessageSender implements MessageVerifierSender<ContractVerifierMessage> {

    /** The Kafka of the last test context that started with this support (one per test JVM and module). */
    private static final AtomicReference<Supplier<@Nullable KafkaTemplate<?, ?>>> CONTEXT_KAFKA =
            new AtomicReference<>(() -> null);

    private final Supplier<@Nullable KafkaTemplate<?, ?>> kafka;
    private final tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder()
            .build();

    /** Sends through the template the supplier gives when a message is sent (a test's, or the context's). */
    public KafkaMessageSender(Supplier<@Nullable KafkaTemplate<?, ?>> kafka) {
        this.kafka = kafka;
    }

    /** A sender through the test context's Kafka, which may start after this sender is made (a stub runner's). */
    public static KafkaMessageSender ofTestContext() {
        return new KafkaMessageSender(() -> CONTEXT_KAFKA.get().get());
    }

    /** Called by {@link ContractMessagingAutoConfiguration} as a test context starts. */
    static void useTestContext(Supplier<@Nullable KafkaTemplate<?, ?>> kafka) {
        CONTEXT_KAFKA.set(kafka);
    }

    @Override
    public void send(ContractVerifierMessage message, String destination, @Nullable YamlContract contract) {
        send(message.getPayload(), message.getHeaders(), destination, contract);
    }

    @Override
    public <T> void send(T payload, @Nullable Map<String, Object> headers, String destination,
            @Nullable YamlContract contract) {
        String value = payload instanceof String s ? s
                : payload instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
                : json.writeValueAsString(payload);
        Object key = headers == null ? null : headers.get(KafkaHeaders.KEY);
        if (key == null && headers != null) {
            key = headers.get("kafka_messageKey");
        }
        if (key == null) {
            key = json.readTree(value).path("subject").asString(null);
        }
        @SuppressWarnings("unchecked")
        KafkaTemplate<Object, Object> template = (KafkaTemplate<Object, Object>) kafka.get();
        if (template == null) {
            throw new IllegalStateException("No KafkaTemplate: event stubs are sent to the test context's Kafka");
        }
        try {
            template.send(MessageBuilder.withPayload((Object) value).setHeader(KafkaHeaders.TOPIC, destination)
                    .setHeader(KafkaHeaders.KEY, key).build()).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not send the contract's event to " + destination, e);
        }
    }
}
