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

    /** An administrator's lock lasts until an administrator unlocks (a lockout after failed logins ends by itself). */
    public static final Instant LOCKED_BY_ADMIN = Instant.parse("9999-12-31T00:00:00Z");

    /**
     * Locked by an administrator (not by the failed-password lockout, which guards the password and leaves the
     * user's live tokens and API keys alone, so that a stranger guessing passwords cannot switch them off).
     */
    public boolean lockedByAdministrator() {
        return lockedUntil != null && !lockedUntil.isBefore(LOCKED_BY_ADMIN);
    }

    public boolean lockedAt(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }
}
