package com.clinicwave.auth.user;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A user of one tenant (never leaves the service as is). */
public record UserAccount(UUID id, UUID tenantId, String tenantKey, String username, @Nullable String email,
        @Nullable String passwordHash, boolean enabled, @Nullable Instant lockedUntil) {

    public boolean lockedAt(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }
}
