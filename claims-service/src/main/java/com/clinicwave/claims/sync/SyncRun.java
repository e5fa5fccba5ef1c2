package com.clinicwave.claims.sync;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One sync of a connection: what started it, how far it got, how it ended. */
public record SyncRun(UUID id, UUID connectionId, String trigger, String status, int claimsCreated,
        int claimsUpdated, int claimsUnchanged, @Nullable String errorCode, @Nullable String error,
        Instant startedAt, @Nullable Instant finishedAt) {

    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    public boolean running() {
        return RUNNING.equals(status);
    }
}
