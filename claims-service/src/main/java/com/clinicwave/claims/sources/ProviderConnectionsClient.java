package com.clinicwave.claims.sources;

import com.clinicwave.claims.config.ClaimsProperties;
import com.clinicwave.claims.config.HttpClientsConfig.ServiceHttp;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/** provider-connection-service's internal API (docs/contracts.md, "Connection access tokens"). */
@Component
public class ProviderConnectionsClient {

    private final RestClient client;
    private final ServiceTokens tokens;

    ProviderConnectionsClient(ServiceHttp serviceHttp, ClaimsProperties properties,
            ServiceTokens tokens) {
        this.client = serviceHttp.builder().clone().baseUrl(properties.services().providerConnections())
                .build();
        this.tokens = tokens;
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
        try {
            ConnectionAccess access = client.get()
                    .uri(b -> {
                        b.path("/internal/connections/{id}/access-token");
                        if (forceRefresh) {
                            b.queryParam("force_refresh", "true");
                        }
                        return b.build(connectionId);
                    })
                    .headers(h -> h.setBearerAuth(tokens.bearer()))
                    .retrieve()
                    .body(ConnectionAccess.class);
            if (access == null || access.accessToken() == null) {
                throw new SyncFailure(SyncFailure.UPSTREAM_INVALID_RESPONSE,
                        "provider-connection-service answered without an access token");
            }
            return access;
        } catch (HttpStatusCodeException e) {
            throw failure(e.getStatusCode(), "the connection's access token");
        } catch (RestClientException e) {
            throw new SyncFailure(SyncFailure.UPSTREAM_UNAVAILABLE, "provider-connection-service is unavailable", e);
        }
    }

    public @Nullable ConnectionInfo connection(UUID connectionId) {
        try {
            return client.get()
                    .uri("/internal/connections/{id}", connectionId)
                    .headers(h -> h.setBearerAuth(tokens.bearer()))
                    .retrieve()
                    .body(ConnectionInfo.class);
        } catch (HttpStatusCodeException e) {
            if (e.getStatusCode().value() == 404) {
                return null;
            }
            throw failure(e.getStatusCode(), "the connection");
        } catch (RestClientException e) {
            throw new SyncFailure(SyncFailure.UPSTREAM_UNAVAILABLE, "provider-connection-service is unavailable", e);
        }
    }

    private SyncFailure failure(HttpStatusCode status, String what) {
        if (status.value() == 401) {
            tokens.invalidate();
        }
        return switch (status.value()) {
            case 404 -> new SyncFailure(SyncFailure.CONNECTION_NOT_FOUND, "The connection no longer exists");
            case 409 -> new SyncFailure(SyncFailure.REAUTH_REQUIRED,
                    "The provider connection needs the user to sign in again");
            default -> new SyncFailure(SyncFailure.UPSTREAM_UNAVAILABLE,
                    "provider-connection-service could not give " + what + " (HTTP " + status.value() + ")");
        };
    }
}
