package com.clinicwave.connections.connection.web;

import com.clinicwave.connections.catalog.CatalogService;
import com.clinicwave.connections.catalog.Provider;
import com.clinicwave.connections.connection.Connection;
import com.clinicwave.connections.connection.ConnectionService;
import com.clinicwave.platform.security.Caller;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The caller's connections: list and delete. Provider tokens never leave the service this way. */
@RestController
@RequestMapping("/api/connections")
class ConnectionController {

    private final ConnectionService connections;
    private final CatalogService catalog;
    private final Clock clock;

    ConnectionController(ConnectionService connections, CatalogService catalog, Clock clock) {
        this.connections = connections;
        this.catalog = catalog;
        this.clock = clock;
    }

    record ConnectionView(UUID id, String providerKey, String providerType, String providerName,
            String providerDisplayName, String connectionName, String status, @Nullable Instant lastSyncAt,
            @Nullable Instant nextSyncAt, String tokenStatus, @Nullable Instant tokenExpiresAt, Instant createdAt) {
    }

    record ConnectionsResponse(List<ConnectionView> connections) {
    }

    record DeleteResponse(boolean success, String message) {
    }

    @GetMapping
    ConnectionsResponse list() {
        Map<String, Provider> providers = catalog.all().stream()
                .collect(Collectors.toMap(Provider::providerKey, Function.identity()));
        Instant now = clock.instant();
        return new ConnectionsResponse(connections.mine(Caller.current()).stream()
                .map(c -> view(c, providers.get(c.providerKey()), now)).toList());
    }

    @DeleteMapping("/{connectionId}")
    DeleteResponse delete(@PathVariable UUID connectionId) {
        connections.delete(connectionId, Caller.current());
        return new DeleteResponse(true, "Connection successfully removed");
    }

    private static ConnectionView view(Connection c, @Nullable Provider p, Instant now) {
        return new ConnectionView(c.id(), c.providerKey(), c.providerType(), p == null ? c.providerKey() : p.name(),
                p == null ? c.providerKey() : p.displayName(), c.connectionName(), c.status(), c.lastSyncAt(),
                c.nextSyncAt(), c.tokenStatus(now), c.tokenExpiresAt(), c.createdAt());
    }
}
