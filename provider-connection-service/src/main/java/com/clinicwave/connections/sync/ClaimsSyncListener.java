package com.clinicwave.connections.sync;

import com.clinicwave.platform.events.ProcessedEvents;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps {@code last_sync_at} (successful runs) and {@code next_sync_at} (claims-service's schedule, after any run)
 * of a connection current from claims-service's {@code claims.synced} events, so the connection list shows when
 * data last arrived and when it next will. Idempotent by event id; an unreadable record goes to
 * {@code claims.events.dlt} (see {@link KafkaErrorHandlingConfig}).
 */
@Component
class ClaimsSyncListener {

    private static final Logger log = LoggerFactory.getLogger(ClaimsSyncListener.class);
    private static final String CONSUMER = "provider-connection-service.claims-synced";
    private static final Set<String> FAILED = Set.of("failed", "error");

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ProcessedEvents processed;

    ClaimsSyncListener(JdbcClient jdbc, JsonMapper json, ProcessedEvents processed) {
        this.jdbc = jdbc;
        this.json = json;
        this.processed = processed;
    }

    @KafkaListener(topics = "claims.events")
    @Transactional
    public void onClaimsEvent(String value) {
        JsonNode event = json.readTree(value);
        String id = event.path("id").asString("");
        if (!"claims.synced".equals(event.path("type").asString("")) || id.isBlank()) {
            return;
        }
        if (!processed.firstDelivery(CONSUMER, id)) {
            return;
        }
        JsonNode data = event.path("data");
        UUID connectionId = UUID.fromString(data.path("connection_id").asString());
        if (data.has("next_sync_at")) {
            // claims-service's schedule, after every run (also a failed one: its retry time); null when paused.
            JsonNode next = data.get("next_sync_at");
            jdbc.sql("update connection set next_sync_at = :next where id = :id")
                    .param("next", next.isNull() || next.asString("").isBlank() ? null
                            : java.sql.Timestamp.from(Instant.parse(next.asString())), java.sql.Types.TIMESTAMP)
                    .param("id", connectionId).update();
        }
        if (FAILED.contains(data.path("status").asString("").toLowerCase())) {
            return;
        }
        Instant time = Instant.parse(event.path("time").asString());
        int updated = jdbc.sql("""
                update connection set last_sync_at = :time
                where id = :id and (last_sync_at is null or last_sync_at < :time)
                """)
                .param("time", java.sql.Timestamp.from(time)).param("id", connectionId).update();
        log.debug("claims.synced for {} applied: {}", connectionId, updated == 1);
    }
}
