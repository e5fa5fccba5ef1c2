package com.clinicwave.platform.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes pending outbox rows to Kafka and marks them published. Rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED}, so several instances relay side by side without publishing a row twice under
 * normal operation (a crash between send and commit can repeat a row: consumers are idempotent by event id).
 */
public class OutboxRelay {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final JdbcClient jdbc;
    private final KafkaTemplate<String, String> kafka;
    private final TransactionTemplate tx;
    private final int batchSize;
    private final Duration retention;
    private final Counter published;
    private final Counter failures;

    public OutboxRelay(JdbcClient jdbc, KafkaTemplate<String, String> kafka, TransactionTemplate tx, int batchSize,
            Duration retention, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.kafka = kafka;
        this.tx = tx;
        this.batchSize = batchSize;
        this.retention = retention;
        this.published = Counter.builder("clinicwave.outbox.published").description("Outbox events published")
                .register(meters);
        this.failures = Counter.builder("clinicwave.outbox.failures").description("Outbox relay failures")
                .register(meters);
        meters.gauge("clinicwave.outbox.pending", this, OutboxRelay::pendingSafely);
    }

    private record Row(UUID id, String topic, String key, String payload) {
    }

    @Scheduled(fixedDelayString = "${clinicwave.outbox.poll-interval:250ms}")
    public void relayPending() {
        int sent;
        do {
            sent = relayBatch();
        } while (sent == batchSize);
    }

    /** Sends one batch; returns how many rows were published. */
    public int relayBatch() {
        try {
            Integer count = tx.execute(status -> {
                List<Row> rows = jdbc.sql("""
                        select id, topic, event_key, payload from event_outbox
                        where published_at is null order by created_at limit :limit for update skip locked
                        """)
                        .param("limit", batchSize)
                        .query((rs, n) -> new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                                rs.getString(4)))
                        .list();
                for (Row row : rows) {
                    try {
                        kafka.send(row.topic(), row.key(), row.payload()).get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException("Kafka send failed for outbox row " + row.id(), e);
                    }
                }
                if (!rows.isEmpty()) {
                    jdbc.sql("update event_outbox set published_at = now() where id in (:ids)")
                            .param("ids", rows.stream().map(Row::id).toList())
                            .update();
                }
                return rows.size();
            });
            int n = count == null ? 0 : count;
            published.increment(n);
            return n;
        } catch (RuntimeException e) {
            failures.increment();
            log.warn("Outbox relay failed; will retry: {}", e.getMessage());
            return 0;
        }
    }

    @Scheduled(fixedDelayString = "${clinicwave.outbox.cleanup-interval:1h}", initialDelayString = "1m")
    public void deletePublished() {
        jdbc.sql("delete from event_outbox where published_at < now() - make_interval(secs => :secs)")
                .param("secs", (double) retention.toSeconds())
                .update();
    }

    private double pendingSafely() {
        try {
            Long n = jdbc.sql("select count(*) from event_outbox where published_at is null").query(Long.class)
                    .single();
            return n == null ? 0 : n;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
