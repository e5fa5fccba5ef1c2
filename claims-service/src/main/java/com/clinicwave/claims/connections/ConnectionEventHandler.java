package com.clinicwave.claims.connections;

import com.clinicwave.platform.events.ProcessedEvents;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Applies one connection.events envelope to the projection, exactly once per envelope id: the processed-event mark
 * and the change commit together, so a redelivered event does nothing.
 */
@Component
class ConnectionEventHandler {

    static final String CONSUMER = "claims-service.connection-events";
    private static final Logger log = LoggerFactory.getLogger(ConnectionEventHandler.class);

    private final ConnectionStore connections;
    private final ProcessedEvents processed;

    ConnectionEventHandler(ConnectionStore connections, ProcessedEvents processed) {
        this.connections = connections;
        this.processed = processed;
    }

    /** Answers true when the event made a connection ready for its initial sync. */
    @Transactional
    public boolean apply(String eventId, String type, JsonNode data) {
        if (!processed.firstDelivery(CONSUMER, eventId)) {
            log.info("Skipping redelivered event {} ({})", eventId, type);
            return false;
        }
        UUID id = uuid(required(data, "connection_id"));
        switch (type) {
            case "connection.created" -> {
                String status = optional(data, "status", Connection.ACTIVE);
                connections.upsertCreated(id, required(data, "consumer_id"), optional(data, "tenant_id", null),
                        required(data, "provider_key"), optional(data, "provider_type", "fhir"), status);
                return Connection.ACTIVE.equals(status);
            }
            case "connection.refreshed" -> connections.markRefreshed(id);
            case "connection.reauth_required" -> connections.markReauthRequired(id, required(data, "consumer_id"),
                    optional(data, "tenant_id", null), required(data, "provider_key"));
            case "connection.deleted" -> {
                int removed = connections.markDeleted(id, required(data, "consumer_id"),
                        optional(data, "tenant_id", null), required(data, "provider_key"));
                log.info("Connection {} deleted: removed {} claims", id, removed);
            }
            default -> log.debug("Ignoring connection event type {}", type);
        }
        return false;
    }

    private static String required(JsonNode data, String field) {
        JsonNode value = data.get(field);
        if (value == null || !value.isValueNode() || value.asString().isBlank()) {
            throw new MalformedEventException("connection event without " + field);
        }
        return value.asString();
    }

    private static String optional(JsonNode data, String field, String fallback) {
        JsonNode value = data.get(field);
        return value == null || !value.isValueNode() || value.asString().isBlank() ? fallback : value.asString();
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("connection event with a malformed connection_id");
        }
    }
}
