package com.clinicwave.auth.user;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A user of one tenant (never leaves the service as is); {@code emailVerified}: the address was proven to belong to
 * the user (seeded accounts, or an identity provider that says so) — needed before a federated login links to it.
 */
public record UserAccount(UUID id, UUID tenantId, String tenantKey, String username, @Nullable String email,
        @Nullable String passwordHash, boolean enabled, @Nullable Instant lockedUntil, boolean emailVerified) {

    public boolean lockedAt(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }
}
