package com.clinicwave.claims.connections;

import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Keeps the connections projection in step with provider-connection-service (topic connection.events). */
@Component
class ConnectionEventsListener {

    private final ConnectionEventHandler handler;
    private final JsonMapper json;
    private final ApplicationEventPublisher publisher;

    ConnectionEventsListener(ConnectionEventHandler handler, JsonMapper json, ApplicationEventPublisher publisher) {
        this.handler = handler;
        this.json = json;
        this.publisher = publisher;
    }

    @KafkaListener(id = "claims-connection-events", topics = "${clinicwave.claims.connection-events-topic:connection.events}",
            groupId = "${spring.kafka.consumer.group-id}")
    void onEvent(ConsumerRecord<String, String> record) {
        JsonNode envelope;
        try {
            envelope = json.readTree(record.value() == null ? "" : record.value());
        } catch (JacksonException e) {
            throw new MalformedEventException("connection event is not JSON");
        }
        JsonNode id = envelope.get("id");
        JsonNode type = envelope.get("type");
        JsonNode data = envelope.get("data");
        if (id == null || !id.isString() || type == null || !type.isString() || data == null || !data.isObject()) {
            throw new MalformedEventException("connection event is not an envelope");
        }
        if (handler.apply(id.asString(), type.asString(), data)) {
            // After the commit: the initial sync runs on its own thread and reads the committed projection.
            publisher.publishEvent(new ConnectionReady(UUID.fromString(data.get("connection_id").asString())));
        }
    }
}
