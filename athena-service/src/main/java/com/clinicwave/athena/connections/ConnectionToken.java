package com.clinicwave.athena.connections;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A connection's provider access token and where to use it (athenahealth base URL, practice and patient).
 * A secret: {@link #toString()} never shows the token.
 */
public record ConnectionToken(String connectionId, @Nullable String consumerId, @Nullable String tenantId,
        @Nullable String providerKey, @Nullable String providerType, @Nullable String status, String accessToken,
        @Nullable String tokenType, @Nullable Instant expiresAt, @Nullable String apiBaseUrl,
        @Nullable String practiceId, @Nullable String patientId) {

    @Override
    public String toString() {
        return "ConnectionToken[connectionId=" + connectionId + ", expiresAt=" + expiresAt + "]";
    }
}
