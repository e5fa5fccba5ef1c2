package com.clinicwave.platform.client;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * provider-connection-service's internal API (docs/contracts.md, "Connection access tokens"), called with this
 * service's {@link ServiceTokens}: a 401 gets one new token and one more try (a revoked token, a retired signing
 * key). Answers are mapped to the caller's own types; failures are {@link CallFailed} with the HTTP status, which
 * each caller turns into its own problem (athena-service) or sync failure (claims-service).
 */
public class ConnectionsApi {

    /** A failed call: {@code status} is the HTTP status, or 0 when there was no usable answer. */
    public static final class CallFailed extends RuntimeException {
        private final int status;

        CallFailed(int status, String message, @Nullable Throwable cause) {
            super(message, cause, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final RestClient http;
    private final ServiceTokens tokens;

    /** {@code builder}: a load-balanced one for a service id, with timeouts; its base URL is set here. */
    public ConnectionsApi(RestClient.Builder builder, String baseUrl, ServiceTokens tokens) {
        this.http = builder.clone().baseUrl(baseUrl).build();
        this.tokens = tokens;
    }

    /** {@code GET /internal/connections/{id}}: owner, tenant, provider and status. */
    public <T> T connection(Object connectionId, Class<T> type) {
        return call(token -> http.get()
                .uri("/internal/connections/{id}", connectionId)
                .headers(h -> h.setBearerAuth(token))
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .body(type));
    }

    /** {@code GET /internal/connections/{id}/access-token}; {@code forceRefresh} has it refreshed first. */
    public <T> T accessToken(Object connectionId, boolean forceRefresh, Class<T> type) {
        return call(token -> http.get()
                .uri(b -> {
                    b.path("/internal/connections/{id}/access-token");
                    if (forceRefresh) {
                        b.queryParam("force_refresh", "true");
                    }
                    return b.build(connectionId);
                })
                .headers(h -> h.setBearerAuth(token))
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .body(type));
    }

    private <T> T call(Function<String, @Nullable T> attempt) {
        try {
            T body;
            try {
                body = attempt.apply(tokens.current());
            } catch (HttpClientErrorException.Unauthorized e) {
                tokens.invalidate();
                body = attempt.apply(tokens.current());
            }
            if (body == null) {
                throw new CallFailed(0, "provider-connection-service answered without a body", null);
            }
            return body;
        } catch (RestClientResponseException e) {
            if (e.getStatusCode().value() == 401) {
                tokens.invalidate();
            }
            throw new CallFailed(e.getStatusCode().value(),
                    "provider-connection-service answered " + e.getStatusCode().value(), null);
        } catch (RestClientException e) {
            throw new CallFailed(0, "provider-connection-service is unavailable", e);
        }
    }
}
