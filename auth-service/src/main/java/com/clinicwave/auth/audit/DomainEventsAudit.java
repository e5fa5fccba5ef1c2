package com.clinicwave.auth.audit;

import com.clinicwave.platform.events.ProcessedEvents;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 004's audit trail also covers what other services change: connection changes (provider-connection-service,
 * {@code connection.events}) and claim verification changes (claims-service, {@code claims.events}) are recorded in
 * the tenant's hash-chained trail, each event exactly once (the processed-event mark and the audit row commit
 * together, so a redelivery records nothing). Routine events (token refreshes, sync runs) are not audited; an event
 * that is not a well-formed envelope is logged and skipped, never retried forever.
 */
@Component
class DomainEventsAudit {

    static final String CONSUMER = "auth-service.audit";
    private static final Logger log = LoggerFactory.getLogger(DomainEventsAudit.class);

    /** Event type -> audit action; anything else is not security-relevant. */
    private static final Map<String, String> AUDITED = Map.of(
            "connection.created", "connection.created",
            "connection.deleted", "connection.deleted",
            "connection.reauth_required", "connection.reauth_required",
            "claim.verification_changed", "claim.verification_changed");

    private final AuditLog audit;
    private final ProcessedEvents processed;
    private final JsonMapper json;

    DomainEventsAudit(AuditLog audit, ProcessedEvents processed, JsonMapper json) {
        this.audit = audit;
        this.processed = processed;
        this.json = json;
    }

    @KafkaListener(id = "auth-audit-domain-events", topics = {"${clinicwave.auth.audit.connection-topic:connection.events}",
            "${clinicwave.auth.audit.claims-topic:claims.events}"}, groupId = "${spring.kafka.consumer.group-id}")
    @Transactional
    public void onEvent(@Nullable String value) {
        JsonNode envelope;
        try {
            envelope = json.readTree(value == null ? "" : value);
        } catch (JacksonException e) {
            log.warn("Skipping a domain event that is not JSON");
            return;
        }
        String type = text(envelope, "type");
        String action = type == null ? null : AUDITED.get(type);
        String id = text(envelope, "id");
        JsonNode data = envelope.get("data");
        if (action == null || id == null || data == null || !data.isObject()) {
            return;
        }
        if (!processed.firstDelivery(CONSUMER, id)) {
            log.debug("Skipping redelivered event {} ({})", id, type);
            return;
        }
        UUID tenant = uuid(text(envelope, "tenant") != null ? text(envelope, "tenant") : text(data, "tenant_id"));
        UUID user = uuid(text(data, "consumer_id"));
        String actor = "connection.reauth_required".equals(type) ? text(envelope, "source") : text(data, "consumer_id");
        audit.append(new AuditLog.Entry(0, 0, occurredAt(text(envelope, "time")), tenant, user, actor, action, null,
                detail(type, data), null));
    }

    private static String detail(String type, JsonNode data) {
        StringBuilder detail = new StringBuilder();
        for (String field : type.startsWith("claim.")
                ? new String[] {"claim_id", "connection_id", "previous_status", "verification_status"}
                : new String[] {"connection_id", "provider_key", "status", "reason"}) {
            String value = text(data, field);
            if (value != null) {
                detail.append(detail.isEmpty() ? "" : "; ").append(field).append('=')
                        .append(value.length() > 200 ? value.substring(0, 200) : value);
            }
        }
        return detail.toString();
    }

    private static Instant occurredAt(@Nullable String time) {
        try {
            // Microseconds, as PostgreSQL stores it: the row hash is computed on what verify reads back.
            return (time == null ? Instant.now() : Instant.parse(time)).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            return Instant.now().truncatedTo(ChronoUnit.MICROS);
        }
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isValueNode() || value.isNull() || value.asString().isBlank() ? null
                : value.asString();
    }

    private static @Nullable UUID uuid(@Nullable String value) {
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
