package com.clinicwave.claims.connections;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** This service's view of a provider connection (a projection of provider-connection-service's). */
public record Connection(UUID id, String consumerId, @Nullable String tenantId, String providerKey,
        String providerType, String status, boolean schedulePaused, @Nullable Instant nextSyncAt,
        @Nullable Instant lastSyncAt, @Nullable String syncCursor) {

    public static final String ACTIVE = "active";
    public static final String REAUTH_REQUIRED = "reauth_required";
    public static final String DELETED = "deleted";

    public boolean deleted() {
        return DELETED.equals(status);
    }
}
