package com.clinicwave.athena.connections;

import com.clinicwave.athena.config.AthenaProperties;
import com.clinicwave.platform.client.ConnectionsApi;
import com.clinicwave.platform.client.ServiceClientProperties;
import com.clinicwave.platform.client.ServiceHttpClients;
import com.clinicwave.platform.client.ServiceTokens;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * provider-connection-service's internal API (docs/contracts.md, "Connection access tokens") through the platform
 * starter's {@link ConnectionsApi} with this service's client-credentials token; its errors become this service's problems (409 → 401 {@code REAUTH_REQUIRED}).
 */
@Component
public class ConnectionsClient {

    public static final String REAUTH_REQUIRED = "REAUTH_REQUIRED";

    private static final Logger log = LoggerFactory.getLogger(ConnectionsClient.class);

    private final ConnectionsApi api;

    ConnectionsClient(@LoadBalanced @Qualifier("loadBalancedRestClientBuilder") RestClient.Builder builder,
            AthenaProperties properties, ServiceClientProperties client, ServiceTokens serviceTokens) {
        this.api = new ConnectionsApi(builder.requestFactory(ServiceHttpClients.requestFactory(client.connectTimeout(),
                client.readTimeout())), properties.connectionsUrl().toString(), serviceTokens);
    }

    /** The connection's owner and status. */
    public ConnectionInfo info(String connectionId) {
        JsonNode body = call(connectionId, () -> api.connection(connectionId, JsonNode.class));
        return new ConnectionInfo(connectionId, text(body, "consumer_id"), text(body, "tenant_id"),
                text(body, "provider_key"), text(body, "provider_type"), text(body, "status"));
    }

    /** The connection's provider token; {@code forceRefresh} makes provider-connection-service refresh it first. */
    public ConnectionToken accessToken(String connectionId, boolean forceRefresh) {
        JsonNode body = call(connectionId, () -> api.accessToken(connectionId, forceRefresh, JsonNode.class));
        String accessToken = text(body, "access_token");
        if (accessToken == null) {
            log.warn("provider-connection-service answered without an access token for connection {}", connectionId);
            throw unavailable();
        }
        return new ConnectionToken(connectionId, text(body, "consumer_id"), text(body, "tenant_id"),
                text(body, "provider_key"), text(body, "provider_type"), text(body, "status"), accessToken,
                text(body, "token_type"), instant(body.get("expires_at")), text(body, "api_base_url"),
                text(body, "practice_id"), text(body, "patient_id"));
    }

    private static JsonNode call(String connectionId, Supplier<JsonNode> call) {
        try {
            return require(call.get());
        } catch (ConnectionsApi.CallFailed e) {
            if (e.status() == 0) {
                log.warn("provider-connection-service unreachable for connection {}: {}", connectionId,
                        e.getMessage());
                throw unavailable();
            }
            throw translate(connectionId, e.status());
        } catch (IllegalStateException e) {
            log.warn("provider-connection-service answered no object for connection {}", connectionId);
            throw unavailable();
        }
    }

    private static JsonNode require(@Nullable JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalStateException("empty or non-object answer");
        }
        return body;
    }

    private static ApiException translate(String connectionId, int status) {
        if (status == 404 || status == 400) {
            // 400: an id provider-connection-service cannot even parse, so no such connection exists.
            return ApiException.notFound("Connection");
        }
        if (status == 409) {
            log.info("Connection {} needs the patient to reconnect (provider-connection-service answered 409)",
                    connectionId);
            return reauthRequired();
        }
        log.warn("provider-connection-service answered {} for connection {}", status, connectionId);
        return unavailable();
    }

    public static ApiException reauthRequired() {
        return new ApiException(HttpStatus.UNAUTHORIZED, REAUTH_REQUIRED,
                "The connection to athenahealth has expired; the patient must connect again");
    }

    private static ApiException unavailable() {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE,
                "The connection service is unavailable; try again shortly");
    }

    private static @Nullable String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        String value = node.asString();
        return value.isBlank() ? null : value;
    }

    private static @Nullable Instant instant(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return Instant.ofEpochSecond(node.asLong());
        }
        try {
            return Instant.parse(node.asString());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
