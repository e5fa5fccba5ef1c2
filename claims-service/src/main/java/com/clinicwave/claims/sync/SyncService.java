package com.clinicwave.claims.sync;

import com.clinicwave.claims.config.ClaimsProperties;
import com.clinicwave.claims.connections.Connection;
import com.clinicwave.claims.connections.ConnectionReady;
import com.clinicwave.claims.connections.ConnectionStore;
import com.clinicwave.platform.web.ApiException;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Starts syncs and lets callers wait for them. Every trigger (initial, manual, scheduled) goes through
 * {@link #start}: the database admits one running run per connection, and a trigger that finds one running joins it
 * instead of starting another — across threads and across instances.
 */
@Service
public class SyncService {

    private static final Logger log = LoggerFactory.getLogger(SyncService.class);

    private final SyncRunStore runs;
    private final ConnectionStore connections;
    private final SyncRunner runner;
    private final ClaimsProperties.Sync settings;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore permits;
    private final ConcurrentHashMap<UUID, CompletableFuture<Void>> local = new ConcurrentHashMap<>();

    SyncService(SyncRunStore runs, ConnectionStore connections, SyncRunner runner, ClaimsProperties properties) {
        this.runs = runs;
        this.connections = connections;
        this.runner = runner;
        this.settings = properties.sync();
        this.permits = new Semaphore(Math.max(1, settings.maxConcurrent()));
    }

    /** The run a trigger started or joined. */
    public record Started(UUID syncId, boolean joined) {
    }

    /** Starts a sync of the connection, or joins the one running. */
    public Started start(Connection connection, String trigger) {
        for (int attempt = 0; attempt < 3; attempt++) {
            runs.failAbandoned(connection.id(), settings.staleAfter());
            Optional<UUID> started = runs.tryStart(connection.id(), trigger, connection.syncCursor());
            if (started.isPresent()) {
                launch(started.get(), trigger, connection);
                return new Started(started.get(), false);
            }
            Optional<SyncRun> running = runs.findRunning(connection.id());
            if (running.isPresent()) {
                return new Started(running.get().id(), true);
            }
            // The running run finished between the two statements: try again.
        }
        throw new ApiException(HttpStatus.CONFLICT, "SYNC_CONFLICT", "The connection is being synced; try again");
    }

    /** Waits up to {@code bound} for the run to finish and answers its latest state. */
    public SyncRun await(UUID syncId, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        CompletableFuture<Void> future = local.get(syncId);
        if (future != null) {
            try {
                future.get(bound.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // Answer with the run's current state below.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            // Running on another instance: watch the row.
            while (System.nanoTime() < deadline && runs.find(syncId).map(SyncRun::running).orElse(false)) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return runs.find(syncId).orElseThrow(() -> ApiException.notFound("Sync"));
    }

    public Optional<SyncRun> find(UUID syncId) {
        return runs.find(syncId);
    }

    /** connection.created: the initial sync, without user action. */
    @EventListener
    void onConnectionReady(ConnectionReady event) {
        connections.find(event.connectionId())
                .filter(c -> Connection.ACTIVE.equals(c.status()))
                .ifPresent(c -> start(c, "initial"));
    }

    /** Runs due scheduled syncs; rows are claimed with SKIP LOCKED, so every instance may run this. */
    @Scheduled(fixedDelayString = "${clinicwave.claims.sync.scheduler-poll:30s}",
            initialDelayString = "${clinicwave.claims.sync.scheduler-initial-delay:20s}")
    public void runDue() {
        if (!settings.schedulerEnabled()) {
            return;
        }
        int free = permits.availablePermits();
        if (free <= 0) {
            return;
        }
        for (UUID id : connections.claimDue(Math.min(free, settings.schedulerBatch()), settings.retryAfterFailure())) {
            connections.find(id).ifPresent(c -> start(c, c.lastSyncAt() == null ? "initial" : "scheduled"));
        }
    }

    /** Tells other instances that this instance's runs are alive (see {@link SyncRunStore#failAbandoned}). */
    @Scheduled(fixedDelayString = "${clinicwave.claims.sync.heartbeat:30s}")
    void heartbeat() {
        runs.heartbeat(local.keySet());
    }

    private void launch(UUID runId, String trigger, Connection connection) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        local.put(runId, future);
        executor.execute(() -> {
            try {
                permits.acquire();
                try {
                    runner.run(runId, trigger, connection);
                } finally {
                    permits.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("Sync {} interrupted before it ran", runId);
            } finally {
                local.remove(runId);
                future.complete(null);
            }
        });
    }

    @PreDestroy
    void shutdown() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(20, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
