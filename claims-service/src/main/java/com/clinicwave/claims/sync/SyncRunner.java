package com.clinicwave.claims.sync;

import com.clinicwave.claims.claim.ClaimStore;
import com.clinicwave.claims.claim.UpsertCounts;
import com.clinicwave.claims.config.ClaimsProperties;
import com.clinicwave.claims.connections.Connection;
import com.clinicwave.claims.connections.ConnectionStore;
import com.clinicwave.claims.sources.ClaimSource;
import com.clinicwave.claims.sources.SyncFailure;
import com.clinicwave.platform.events.OutboxWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one sync: reads the provider page by page, commits each page's upserts on its own (so a provider failure
 * half-way leaves what was already read intact and consistent), then records the outcome, moves the cursor only
 * on success, and announces {@code claims.synced} through the outbox in the same transaction.
 */
@Component
class SyncRunner {

    static final String TOPIC = "claims.events";
    private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);

    private final List<ClaimSource> sources;
    private final ClaimStore claims;
    private final ConnectionStore connections;
    private final SyncRunStore runs;
    private final OutboxWriter outbox;
    private final TransactionTemplate tx;
    private final ClaimsProperties.Sync settings;
    private final Clock clock;
    private final MeterRegistry meters;

    SyncRunner(List<ClaimSource> sources, ClaimStore claims, ConnectionStore connections, SyncRunStore runs,
            OutboxWriter outbox, TransactionTemplate tx, ClaimsProperties properties, Clock clock,
            MeterRegistry meters) {
        this.sources = sources;
        this.claims = claims;
        this.connections = connections;
        this.runs = runs;
        this.outbox = outbox;
        this.tx = tx;
        this.settings = properties.sync();
        this.clock = clock;
        this.meters = meters;
    }

    void run(UUID runId, String trigger, Connection connection) {
        UpsertCounts[] total = {UpsertCounts.NONE};
        long started = System.nanoTime();
        try {
            ClaimSource source = sources.stream().filter(s -> s.supports(connection.providerType())).findFirst()
                    .orElseThrow(() -> new SyncFailure("UNSUPPORTED_PROVIDER",
                            "Claims cannot be read from providers of type " + connection.providerType()));
            String cursor = source.fetch(connection.id(), connection.syncCursor(), page -> {
                UpsertCounts counts = tx.execute(status -> {
                    if (!connections.lockForWrite(connection.id())) {
                        throw new SyncFailure(SyncFailure.CONNECTION_DELETED, "The connection was deleted");
                    }
                    UpsertCounts pageCounts = claims.upsert(connection.id(), page);
                    runs.progress(runId, total[0].plus(pageCounts));
                    return pageCounts;
                });
                total[0] = total[0].plus(counts);
            });
            Instant now = clock.instant();
            tx.executeWithoutResult(status -> {
                runs.finish(runId, SyncRun.SUCCEEDED, total[0], cursor, null, null, now);
                connections.markSynced(connection.id(), cursor, now, settings.interval());
                announce(runId, trigger, connection, total[0], SyncRun.SUCCEEDED);
            });
            record(connection, trigger, SyncRun.SUCCEEDED, started, total[0]);
            log.info("Sync {} of connection {} succeeded in {} ms: {} created, {} updated, {} unchanged", runId,
                    connection.id(), (System.nanoTime() - started) / 1_000_000, total[0].created(),
                    total[0].updated(), total[0].unchanged());
        } catch (SyncFailure failure) {
            log.warn("Sync {} of connection {} failed: {} ({})", runId, connection.id(), failure.code(),
                    failure.getMessage());
            fail(runId, trigger, connection, total[0], failure.code(), failure.getMessage());
            record(connection, trigger, SyncRun.FAILED, started, total[0]);
        } catch (RuntimeException e) {
            log.error("Sync {} of connection {} failed unexpectedly", runId, connection.id(), e);
            fail(runId, trigger, connection, total[0], "INTERNAL_ERROR", "The sync failed unexpectedly");
            record(connection, trigger, SyncRun.FAILED, started, total[0]);
        }
    }

    /** {@code claims_sync_duration_seconds{status,trigger,provider_type}} and claims written per outcome. */
    private void record(Connection connection, String trigger, String status, long startedNanos,
            UpsertCounts counts) {
        Timer.builder("claims.sync.duration")
                .description("Duration of claims sync runs")
                .tag("status", status).tag("trigger", trigger).tag("provider_type", connection.providerType())
                .publishPercentileHistogram()
                .register(meters)
                .record(Duration.ofNanos(System.nanoTime() - startedNanos));
        claimsCounter("created").increment(counts.created());
        claimsCounter("updated").increment(counts.updated());
        claimsCounter("unchanged").increment(counts.unchanged());
    }

    private Counter claimsCounter(String outcome) {
        return Counter.builder("claims.sync.claims").description("Claims read by syncs, by outcome")
                .tag("outcome", outcome).register(meters);
    }

    private void fail(UUID runId, String trigger, Connection connection, UpsertCounts counts, String code,
            @Nullable String reason) {
        Instant now = clock.instant();
        tx.executeWithoutResult(status -> {
            runs.finish(runId, SyncRun.FAILED, counts, null, code, reason, now);
            connections.markFailed(connection.id(), SyncFailure.REAUTH_REQUIRED.equals(code),
                    settings.retryAfterFailure());
            announce(runId, trigger, connection, counts, SyncRun.FAILED);
        });
    }

    private void announce(UUID runId, String trigger, Connection connection, UpsertCounts counts, String status) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("connection_id", connection.id().toString());
        data.put("sync_id", runId.toString());
        data.put("trigger", trigger);
        data.put("claims_created", counts.created());
        data.put("claims_updated", counts.updated());
        data.put("status", status);
        // The schedule's next run (null when paused or inactive): provider-connection-service shows it as the
        // connection's next_sync_at. Read inside the transaction that just set it.
        Instant next = connections.nextSyncAt(connection.id());
        data.put("next_sync_at", next == null ? null : next.toString());
        outbox.append(TOPIC, "claims.synced", connection.id().toString(), connection.tenantId(), data);
    }
}
