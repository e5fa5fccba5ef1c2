package com.clinicwave.platform.events;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes a Kafka consumer idempotent: {@link #firstDelivery} records (consumer, event id) in the consumer's
 * transaction and answers false for a redelivery, whose work must then be skipped.
 */
public class ProcessedEvents {

    private final JdbcClient jdbc;

    public ProcessedEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public boolean firstDelivery(String consumer, String eventId) {
        return jdbc.sql("""
                insert into processed_event (consumer, event_id) values (:consumer, :eventId)
                on conflict do nothing
                """)
                .param("consumer", consumer)
                .param("eventId", eventId)
                .update() == 1;
    }
}
