package com.clinicwave.claims.connections;

import com.clinicwave.claims.sources.ProviderConnectionsClient;
import com.clinicwave.claims.sources.ProviderConnectionsClient.ConnectionInfo;
import com.clinicwave.claims.sources.SyncFailure;
import com.clinicwave.platform.security.Caller;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Ownership checks against the projection; a connection the projection does not know yet (its
 * {@code connection.created} still in flight, or consumed before this service existed) is looked up once through
 * provider-connection-service's internal API and recorded, so the user never sees a 404 for a connection they just
 * made. Anything unknown there, or owned by someone else, stays a 404.
 */
@Component
public class ConnectionLookup {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLookup.class);

    private final ConnectionStore store;
    private final ProviderConnectionsClient client;

    ConnectionLookup(ConnectionStore store, ProviderConnectionsClient client) {
        this.store = store;
        this.client = client;
    }

    public Optional<Connection> findOwned(UUID id, Caller caller) {
        Optional<Connection> known = store.find(id);
        if (known.isPresent() || caller.service()) {
            return known.filter(c -> ConnectionStore.owns(c, caller));
        }
        ConnectionInfo info;
        try {
            info = client.connection(id);
        } catch (SyncFailure e) {
            log.debug("Connection {} unknown here and provider-connection-service unavailable: {}", id, e.code());
            return Optional.empty();
        }
        if (info == null || info.consumerId() == null || !info.consumerId().equals(caller.subject())
                || info.providerKey() == null || info.providerType() == null || info.status() == null) {
            return Optional.empty();
        }
        store.upsertCreated(id, info.consumerId(), info.tenantId(), info.providerKey(), info.providerType(),
                info.status());
        return store.find(id).filter(c -> ConnectionStore.owns(c, caller));
    }
}
