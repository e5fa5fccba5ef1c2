package com.clinicwave.connections.connection;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A consumer's connection to a provider account; tokens only as ciphertext. Never leaves the service as is. */
public record Connection(UUID id, UUID consumerId, @Nullable UUID tenantId, String providerKey, String providerType,
        String connectionName, String status, byte @Nullable [] accessTokenCiphertext,
        byte @Nullable [] refreshTokenCiphertext, @Nullable String tokenType, @Nullable String scope,
        @Nullable Instant tokenExpiresAt, @Nullable String patientId, @Nullable String practiceId,
        @Nullable String termsVersion, @Nullable String statusReason, @Nullable Instant lastRefreshedAt,
        @Nullable Instant lastSyncAt, @Nullable Instant nextSyncAt, Instant createdAt) {

    public static final String ACTIVE = "active";
    public static final String REAUTH_REQUIRED = "reauth_required";
    public static final String REVOKED = "revoked";

    public static String accessTokenAd(UUID id) {
        return "connection:" + id + ":access_token";
    }

    public static String refreshTokenAd(UUID id) {
        return "connection:" + id + ":refresh_token";
    }

    /** The token's state as clients see it. */
    public String tokenStatus(Instant now) {
        if (!ACTIVE.equals(status)) {
            return status;
        }
        return tokenExpiresAt != null && tokenExpiresAt.isBefore(now) ? "expired" : "active";
    }
}
