package com.clinicwave.athena.connections;

import org.jspecify.annotations.Nullable;

/** A connection's owner and state as provider-connection-service reports it (never tokens). */
public record ConnectionInfo(String connectionId, @Nullable String consumerId, @Nullable String tenantId,
        @Nullable String providerKey, @Nullable String providerType, @Nullable String status) {

    public boolean reauthRequired() {
        return "reauth_required".equalsIgnoreCase(status);
    }
}
