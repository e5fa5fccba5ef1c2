package com.clinicwave.connections.connection;

import com.clinicwave.platform.events.OutboxWriter;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Publishes connection events on {@code connection.events} through the transactional outbox (docs/contracts.md). */
@Component
public class ConnectionEvents {

    public static final String TOPIC = "connection.events";

    record ConnectionCreated(UUID connectionId, UUID consumerId, @Nullable UUID tenantId, String providerKey,
            String providerType, String status) {
    }

    record ConnectionRefreshed(UUID connectionId, UUID consumerId, @Nullable UUID tenantId, String providerKey,
            @Nullable Instant tokenExpiresAt) {
    }

    record ConnectionReauthRequired(UUID connectionId, UUID consumerId, @Nullable UUID tenantId, String providerKey,
            String reason) {
    }

    record ConnectionDeleted(UUID connectionId, UUID consumerId, @Nullable UUID tenantId, String providerKey) {
    }

    private final OutboxWriter outbox;

    ConnectionEvents(OutboxWriter outbox) {
        this.outbox = outbox;
    }

    public void created(Connection c) {
        append("connection.created", c, new ConnectionCreated(c.id(), c.consumerId(), c.tenantId(), c.providerKey(),
                c.providerType(), c.status()));
    }

    public void refreshed(Connection c, @Nullable Instant expiresAt) {
        append("connection.refreshed", c, new ConnectionRefreshed(c.id(), c.consumerId(), c.tenantId(),
                c.providerKey(), expiresAt));
    }

    public void reauthRequired(Connection c, String reason) {
        append("connection.reauth_required", c, new ConnectionReauthRequired(c.id(), c.consumerId(), c.tenantId(),
                c.providerKey(), reason));
    }

    public void deleted(Connection c) {
        append("connection.deleted", c, new ConnectionDeleted(c.id(), c.consumerId(), c.tenantId(), c.providerKey()));
    }

    private void append(String type, Connection c, Object data) {
        outbox.append(TOPIC, type, c.id().toString(), c.tenantId() == null ? null : c.tenantId().toString(), data);
    }
}
