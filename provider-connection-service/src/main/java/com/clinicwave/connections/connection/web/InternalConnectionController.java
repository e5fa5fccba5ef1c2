package com.clinicwave.connections.connection.web;

import com.clinicwave.connections.connection.Connection;
import com.clinicwave.connections.connection.ConnectionService;
import com.clinicwave.connections.catalog.CatalogService;
import com.clinicwave.connections.catalog.Provider;
import com.clinicwave.platform.security.Caller;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * For athena-service and claims-service only (service token with scope {@code connections:token}; never routed by
 * the gateway): a connection's current provider access token, and its owner and status. Every call is audited.
 */
@RestController
@RequestMapping("/internal/connections")
class InternalConnectionController {

    private final ConnectionService connections;
    private final CatalogService catalog;

    InternalConnectionController(ConnectionService connections, CatalogService catalog) {
        this.connections = connections;
        this.catalog = catalog;
    }

    record AccessTokenResponse(UUID connectionId, UUID consumerId, @Nullable UUID tenantId, String providerKey,
            String providerType, String status, String accessToken, @Nullable String tokenType,
            @Nullable Instant expiresAt, @Nullable String apiBaseUrl, @Nullable String fhirBaseUrl,
            @Nullable String practiceId, @Nullable String patientId) {

        @Override
        public String toString() {
            return "AccessTokenResponse[connectionId=" + connectionId + "]";
        }
    }

    record ConnectionInfo(UUID connectionId, UUID consumerId, @Nullable UUID tenantId, String providerKey,
            String providerType, String status, @Nullable Instant tokenExpiresAt, @Nullable String apiBaseUrl,
            @Nullable String fhirBaseUrl, @Nullable String practiceId, @Nullable String patientId) {
    }

    @GetMapping("/{connectionId}/access-token")
    ResponseEntity<AccessTokenResponse> accessToken(@PathVariable UUID connectionId,
            @RequestParam(name = "force_refresh", defaultValue = "false") boolean forceRefresh) {
        ConnectionService.AccessToken t = connections.accessToken(connectionId, forceRefresh, Caller.current());
        Connection c = t.connection();
        Provider p = t.provider();
        return ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .body(new AccessTokenResponse(c.id(), c.consumerId(), c.tenantId(), c.providerKey(), c.providerType(),
                        c.status(), t.accessToken(), c.tokenType(), c.tokenExpiresAt(), p.apiBaseUrl(),
                        p.fhirBaseUrl(), c.practiceId(), c.patientId()));
    }

    @GetMapping("/{connectionId}")
    ConnectionInfo connection(@PathVariable UUID connectionId) {
        Connection c = connections.describe(connectionId, Caller.current());
        Provider p = catalog.get(c.providerKey());
        return new ConnectionInfo(c.id(), c.consumerId(), c.tenantId(), c.providerKey(), c.providerType(), c.status(),
                c.tokenExpiresAt(), p.apiBaseUrl(), p.fhirBaseUrl(), c.practiceId(), c.patientId());
    }
}
