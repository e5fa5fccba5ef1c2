package com.clinicwave.gateway.revocation;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies auth-service's revocation events ({@code token.revoked}, {@code session.revoked}, {@code apikey.revoked})
 * to the deny-list. The consumer group is unique per replica, so every replica sees every event; a starting replica
 * replays the recent past of the topic (the replay window) in addition to what it loaded from Redis.
 */
@Component
class RevocationEventListener implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(RevocationEventListener.class);

    private final RevocationList revocations;
    private final RevocationProperties properties;
    private final JsonMapper json;
    private final Clock clock;
    private final AtomicBoolean assigned = new AtomicBoolean();

    RevocationEventListener(RevocationList revocations, RevocationProperties properties, JsonMapper json, Clock clock) {
        this.revocations = revocations;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
    }

    @KafkaListener(id = "gateway-revocations", topics = "${clinicwave.gateway.revocation.topic:auth.events}",
            groupId = "${spring.application.name}-revocations-${random.uuid}", autoStartup = "true")
    void onEvent(ConsumerRecord<String, String> record) {
        JsonNode event;
        try {
            event = json.readTree(record.value());
        } catch (JacksonException e) {
            log.warn("Skipping unreadable record at {}-{}@{}", record.topic(), record.partition(), record.offset());
            return;
        }
        String type = event.path("type").asString("");
        JsonNode data = event.path("data");
        switch (type) {
            case "token.revoked" -> apply(RevocationList.Kind.JTI, data.path("jti"), data, type);
            case "session.revoked" -> apply(RevocationList.Kind.SID, data.path("sid"), data, type);
            case "apikey.revoked" -> apply(RevocationList.Kind.API_KEY, data.path("api_key_id"), data, type);
            default -> {
                // Other auth events (user.registered, ...) do not concern the gateway.
            }
        }
    }

    private void apply(RevocationList.Kind kind, JsonNode id, JsonNode data, String type) {
        if (!id.isString() || id.asString().isBlank()) {
            log.warn("Skipping {} event without an id", type);
            return;
        }
        Instant until;
        try {
            until = data.path("expires_at").isString() ? Instant.parse(data.path("expires_at").asString())
                    : clock.instant().plus(properties.replayWindow());
        } catch (DateTimeParseException e) {
            until = clock.instant().plus(properties.replayWindow());
        }
        revocations.revoke(kind, id.asString(), until)
                .doOnError(e -> log.warn("Could not store a {} in Redis (kept in memory): {}", type, e.toString()))
                .onErrorComplete()
                .subscribe();
        log.info("Applied {}", type);
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        callback.seekToTimestamp(assignments.keySet(), clock.instant().minus(properties.replayWindow()).toEpochMilli());
        assigned.set(true);
    }

    /** Whether this replica is listening yet (for readiness checks and tests). */
    boolean isAssigned() {
        return assigned.get();
    }
}
