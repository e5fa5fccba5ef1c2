package com.clinicwave.platform.events;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The CloudEvents-style envelope of every domain event on Kafka (structured mode: the record value is this JSON).
 * {@code subject} is the aggregate id and the record key, so one aggregate's events stay in order.
 */
public record EventEnvelope<T>(String id, String source, String type, Instant time, String subject,
        @Nullable String tenant, T data) {
}
