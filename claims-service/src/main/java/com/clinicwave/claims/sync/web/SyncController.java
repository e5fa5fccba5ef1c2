package com.clinicwave.claims.sync.web;

import com.clinicwave.claims.config.ClaimsProperties;
import com.clinicwave.claims.connections.Connection;
import com.clinicwave.claims.connections.ConnectionLookup;
import com.clinicwave.claims.connections.ConnectionStore;
import com.clinicwave.claims.sources.SyncFailure;
import com.clinicwave.claims.sync.SyncRun;
import com.clinicwave.claims.sync.SyncService;
import com.clinicwave.platform.security.Caller;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Manual sync and sync progress (API.md "Claims"). */
@RestController
class SyncController {

    private final SyncService syncs;
    private final ConnectionStore connections;
    private final ConnectionLookup lookup;
    private final ClaimsProperties.Sync settings;

    SyncController(SyncService syncs, ConnectionStore connections, ConnectionLookup lookup,
            ClaimsProperties properties) {
        this.syncs = syncs;
        this.connections = connections;
        this.lookup = lookup;
        this.settings = properties.sync();
    }

    /** Seed 004's answer, plus the run's status (running when it did not finish within the wait). */
    record SyncResponse(boolean success, UUID syncId, String status, int claimsCreated, int claimsUpdated,
            @Nullable Instant lastSyncAt) {
    }

    record SyncRunResponse(UUID id, UUID syncId, UUID connectionId, String trigger, String status, int claimsCreated,
            int claimsUpdated, int claimsUnchanged, @Nullable String errorCode, @Nullable String error,
            Instant startedAt, @Nullable Instant finishedAt) {

        static SyncRunResponse of(SyncRun run) {
            return new SyncRunResponse(run.id(), run.id(), run.connectionId(), run.trigger(), run.status(),
                    run.claimsCreated(), run.claimsUpdated(), run.claimsUnchanged(), run.errorCode(), run.error(),
                    run.startedAt(), run.finishedAt());
        }
    }

    /**
     * Starts a sync (or joins the one running) and answers once it finished, or 202 with status running when it
     * takes longer than {@code clinicwave.claims.sync.manual-wait}. {@code claims_updated} counts the claims this
     * run created or changed.
     */
    @PostMapping("/api/connections/{connectionId}/sync")
    ResponseEntity<SyncResponse> sync(@PathVariable String connectionId) {
        UUID id = uuid(connectionId, "Connection");
        Connection connection = lookup.findOwned(id, Caller.current())
                .orElseThrow(() -> ApiException.notFound("Connection"));
        if (Connection.REAUTH_REQUIRED.equals(connection.status())) {
            throw new ApiException(HttpStatus.CONFLICT, SyncFailure.REAUTH_REQUIRED,
                    "The provider connection needs you to sign in again before it can sync");
        }
        if (!Connection.ACTIVE.equals(connection.status())) {
            throw ApiException.conflict("CONNECTION_NOT_ACTIVE", "The connection is not active");
        }
        SyncService.Started started = syncs.start(connection, "manual");
        SyncRun run = syncs.await(started.syncId(), settings.manualWait());
        if (run.running()) {
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(new SyncResponse(true, run.id(), run.status(),
                    run.claimsCreated(), run.claimsCreated() + run.claimsUpdated(), null));
        }
        if (SyncRun.FAILED.equals(run.status())) {
            throw failed(run);
        }
        return ResponseEntity.ok(new SyncResponse(true, run.id(), run.status(), run.claimsCreated(),
                run.claimsCreated() + run.claimsUpdated(), run.finishedAt()));
    }

    @GetMapping("/api/syncs/{syncId}")
    SyncRunResponse get(@PathVariable String syncId) {
        UUID id = uuid(syncId, "Sync");
        Caller caller = Caller.current();
        return syncs.find(id)
                .filter(run -> connections.findOwned(run.connectionId(), caller).isPresent())
                .map(SyncRunResponse::of)
                .orElseThrow(() -> ApiException.notFound("Sync"));
    }

    private static ApiException failed(SyncRun run) {
        String code = run.errorCode() == null ? ProblemCodes.UPSTREAM_UNAVAILABLE : run.errorCode();
        String detail = "Sync " + run.id() + " failed: " + (run.error() == null ? "unknown reason" : run.error());
        return switch (code) {
            case SyncFailure.REAUTH_REQUIRED -> new ApiException(HttpStatus.CONFLICT, code, detail);
            case SyncFailure.CONNECTION_NOT_FOUND, SyncFailure.CONNECTION_DELETED -> ApiException.notFound("Connection");
            case SyncFailure.UPSTREAM_INVALID_RESPONSE -> new ApiException(HttpStatus.BAD_GATEWAY, code, detail);
            // The caller's sync was refused without calling the provider: a 503 that says to come back later.
            case SyncFailure.CIRCUIT_OPEN -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE, code, detail);
            default -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE, detail);
        };
    }

    private static UUID uuid(String value, String what) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(what);
        }
    }
}
