package com.clinicwave.claims.sources;

import com.clinicwave.claims.config.ClaimsProperties;
import com.clinicwave.claims.config.HttpClientsConfig.ServiceHttp;
import com.clinicwave.platform.client.ConnectionsApi;
import com.clinicwave.platform.client.ServiceTokens;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * provider-connection-service's internal API (docs/contracts.md, "Connection access tokens"), through the platform
 * starter's {@link ConnectionsApi}; its failures become {@link SyncFailure}s.
 */
@Component
public class ProviderConnectionsClient {

    private final ConnectionsApi api;

    ProviderConnectionsClient(ServiceHttp serviceHttp, ClaimsProperties properties, ServiceTokens tokens) {
        this.api = new ConnectionsApi(serviceHttp.builder(), properties.services().providerConnections(), tokens);
    }

    /** The connection's provider access token and where to use it. */
    public record ConnectionAccess(String connectionId, @Nullable String consumerId, @Nullable String tenantId,
            @Nullable String providerKey, @Nullable String providerType, @Nullable String status, String accessToken,
            @Nullable String tokenType, @Nullable String expiresAt, @Nullable String apiBaseUrl,
            @Nullable String fhirBaseUrl, @Nullable String practiceId, @Nullable String patientId) {

        @Override
        public String toString() {
            return "ConnectionAccess[connectionId=" + connectionId + ", providerKey=" + providerKey + "]";
        }
    }

    /** The owner and status of a connection, without tokens. */
    public record ConnectionInfo(@Nullable String connectionId, @Nullable String id, @Nullable String consumerId,
            @Nullable String tenantId, @Nullable String providerKey, @Nullable String providerType,
            @Nullable String status) {
    }

    public ConnectionAccess accessToken(UUID connectionId, boolean forceRefresh) {
        ConnectionAccess access;
        try {
            access = api.accessToken(connectionId, forceRefresh, ConnectionAccess.class);
        } catch (ConnectionsApi.CallFailed e) {
            throw failure(e, "the connection's access token");
        } catch (ServiceTokens.UnavailableException e) {
            throw new SyncFailure(SyncFailure.UPSTREAM_UNAVAILABLE, "auth-service did not issue a service token", e);
        }
        if (access.accessToken() == null) {
            throw new SyncFailure(SyncFailure.UPSTREAM_INVALID_RESPONSE,
                    "provider-connection-service answered without an access token");
        }
        return access;
    }

    public @Nullable ConnectionInfo connection(UUID connectionId) {
        try {
            return api.connection(connectionId, ConnectionInfo.class);
        } catch (ConnectionsApi.CallFailed e) {
            if (e.status() == 404) {
                return null;
            }
            throw failure(e, "the connection");
        } catch (ServiceTokens.UnavailableException e) {
            throw new SyncFailure(SyncFailure.UPSTREAM_UNAVAILABLE, "auth-service did not issue a service token", e);
        }
    }

    private static SyncFailure failure(ConnectionsApi.CallFailed e, String what) {
        return switch (e.status()) {
            case 0 -> new SyncFailure(SyncFailure.UPSTREAM_UNAVAILABLE, "provider-connection-service is unavailable",
                    e);
            case 404 -> new SyncFailure(SyncFailure.CONNECTION_NOT_FOUND, "The connection no longer exists");
            case 409 -> new SyncFailure(SyncFailure.REAUTH_REQUIRED,
                    "The provider connection needs the user to sign in again");
            default -> new SyncFailure(SyncFailure.UPSTREAM_UNAVAILABLE,
                    "provider-connection-service could not give " + what + " (HTTP " + e.status() + ")");
        };
    }
}
