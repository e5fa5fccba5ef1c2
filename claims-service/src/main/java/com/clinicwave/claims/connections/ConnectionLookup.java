package com.clinicwave.claims.connections;

import com.clinicwave.claims.sources.ProviderConnectionsClient;
import com.clinicwave.claims.sources.ProviderConnectionsClient.ConnectionInfo;
import com.clinicwave.claims.sources.SyncFailure;
import com.clinicwave.claims.sources.UpstreamResilience;
import com.clinicwave.platform.web.ApiException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import com.clinicwave.platform.security.Caller;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Ownership checks against the projection; a connection the projection does not know yet (its
 * {@code connection.created} still in flight, or consumed before this service existed) is looked up once through
 * provider-connection-service's internal API and recorded, so the user never sees a 404 for a connection they just
 * made. Anything unknown there, or owned by someone else, stays a 404; while the breaker of
 * provider-connection-service is open, a 503 problem {@code UPSTREAM_CIRCUIT_OPEN}.
 */
@Component
public class ConnectionLookup {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLookup.class);

    private final ConnectionStore store;
    private final ProviderConnectionsClient client;
    private final UpstreamResilience resilience;

    ConnectionLookup(ConnectionStore store, ProviderConnectionsClient client, UpstreamResilience resilience) {
        this.store = store;
        this.client = client;
        this.resilience = resilience;
    }

    public Optional<Connection> findOwned(UUID id, Caller caller) {
        Optional<Connection> known = store.find(id);
        if (known.isPresent() || caller.service()) {
            return known.filter(c -> ConnectionStore.owns(c, caller));
        }
        ConnectionInfo info;
        try {
            info = resilience.call(UpstreamResilience.CONNECTIONS, () -> client.connection(id));
        } catch (CallNotPermittedException e) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, SyncFailure.CIRCUIT_OPEN,
                    "provider-connection-service is failing; try again shortly");
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
