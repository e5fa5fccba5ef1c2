package com.clinicwave.platform.events;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends a domain event to the service's {@code event_outbox} table in the caller's transaction, so the event is
 * published if and only if the change that caused it commits (the transactional outbox).
 */
public class OutboxWriter {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final String source;
    private final Clock clock;

    public OutboxWriter(JdbcClient jdbc, JsonMapper json, String source, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.source = source;
        this.clock = clock;
    }

    /** Records the event; must run inside the transaction of the change it describes. */
    @Transactional(propagation = Propagation.MANDATORY)
    public EventEnvelope<Object> append(String topic, String type, String subject, @Nullable String tenant,
            Object data) {
        EventEnvelope<Object> envelope = new EventEnvelope<>(UUID.randomUUID().toString(), source, type,
                Instant.now(clock), subject, tenant, data);
        jdbc.sql("""
                insert into event_outbox (id, topic, event_key, event_type, payload, created_at)
                values (:id, :topic, :key, :type, :payload, :createdAt)
                """)
                .param("id", UUID.fromString(envelope.id()))
                .param("topic", topic)
                .param("key", subject)
                .param("type", type)
                .param("payload", json.writeValueAsString(envelope))
                .param("createdAt", java.sql.Timestamp.from(envelope.time()))
                .update();
        return envelope;
    }
}
