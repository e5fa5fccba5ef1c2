package com.clinicwave.athena.upstream;

import com.clinicwave.athena.config.AthenaProperties;
import com.clinicwave.athena.connections.ConnectionToken;
import com.clinicwave.platform.net.ProviderAddressPolicy;
import com.clinicwave.platform.net.ProviderHttpClients;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * The athenahealth API of one patient: {@code {api_base_url}/v1/{practice_id}/patients/{patient_id}/…} with the
 * connection's bearer token, under {@link AthenaResilience}. Answers are read as trees (unknown fields are fine);
 * nothing from them is logged, only ids and statuses.
 */
@Component
public class AthenaApi {

    private static final Logger log = LoggerFactory.getLogger(AthenaApi.class);

    private final RestClient http;
    private final AthenaResilience resilience;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Clock clock;
    private final ProviderAddressPolicy addressPolicy;

    AthenaApi(RestClient.Builder builder, AthenaProperties properties, AthenaResilience resilience, Clock clock,
            ProviderAddressPolicy addressPolicy) {
        // The SSRF policy is the client's DNS resolver: it connects only to addresses the policy allowed.
        this.http = builder.requestFactory(ProviderHttpClients.requestFactory(addressPolicy,
                properties.upstream().connectTimeout(), properties.upstream().readTimeout(), 200,
                properties.upstream().maxConcurrentCalls())).build();
        this.resilience = resilience;
        this.clock = clock;
        this.addressPolicy = addressPolicy;
    }

    /**
     * GETs {@code resource} ("" for the patient, "appointments", "balance", "claims") of the token's patient.
     *
     * @throws UpstreamException.Unauthorized when athenahealth refuses the token (the caller refreshes it)
     * @throws ApiException for every other failure, as the problem the client should see
     */
    public JsonNode get(ConnectionToken token, String resource, Map<String, String> query) {
        URI uri = uri(token, resource, query);
        checkAddress(token, uri);
        String environment = environment(uri);
        try {
            return resilience.call(environment, () -> exchange(token, uri, resource));
        } catch (CallNotPermittedException e) {
            log.warn("athenahealth circuit open for {}: answering 503 without calling", environment);
            throw unavailable("athenahealth is unavailable; try again shortly");
        } catch (BulkheadFullException | RequestNotPermitted e) {
            log.warn("athenahealth call for connection {} shed ({})", token.connectionId(), e.getClass().getSimpleName());
            throw unavailable("athenahealth is busy; try again shortly");
        } catch (UpstreamException.RateLimited e) {
            throw unavailable("athenahealth is busy; try again shortly");
        } catch (UpstreamException.Failure | UpstreamException.BudgetExhausted e) {
            throw unavailable("athenahealth is unavailable; try again shortly");
        }
    }

    private JsonNode exchange(ConnectionToken token, URI uri, String resource) {
        try {
            return http.get()
                    .uri(uri)
                    .headers(h -> h.setBearerAuth(token.accessToken()))
                    .accept(MediaType.APPLICATION_JSON)
                    .exchange((request, response) -> {
                        int status = response.getStatusCode().value();
                        if (status >= 200 && status < 300) {
                            try {
                                JsonNode body = json.readTree(response.getBody());
                                return body == null ? NullNode.getInstance() : body;
                            } catch (JacksonException e) {
                                log.warn("athenahealth answered unreadable JSON for {} of connection {}",
                                        label(resource), token.connectionId());
                                throw new UpstreamException.Failure("unreadable answer");
                            }
                        }
                        log.info("athenahealth answered {} for {} of connection {}", status, label(resource),
                                token.connectionId());
                        throw switch (status) {
                            case 401 -> new UpstreamException.Unauthorized();
                            case 429 -> new UpstreamException.RateLimited(
                                    retryAfter(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)));
                            case 403 -> new ApiException(HttpStatus.FORBIDDEN, ProblemCodes.INSUFFICIENT_PERMISSIONS,
                                    "athenahealth does not allow this connection to read this data");
                            case 404 -> new ApiException(HttpStatus.NOT_FOUND, ProblemCodes.NOT_FOUND,
                                    "athenahealth has no such record for this patient");
                            default -> status >= 500 ? new UpstreamException.Failure("status " + status)
                                    : new ApiException(HttpStatus.BAD_GATEWAY, "UPSTREAM_ERROR",
                                            "athenahealth rejected the request");
                        };
                    });
        } catch (ProviderAddressPolicy.RefusedUrlException e) {
            // The host's answer changed since the check (DNS rebinding): the resolver refused to connect.
            throw refused(token, e);
        } catch (RestClientException e) {
            log.info("athenahealth unreachable for connection {}: {}", token.connectionId(),
                    e.getClass().getSimpleName());
            throw new UpstreamException.Failure("I/O");
        }
    }

    /** The SSRF policy at call time: the API base URL comes from the provider catalog, an admin's input. */
    private void checkAddress(ConnectionToken token, URI uri) {
        try {
            addressPolicy.check(uri.toString());
        } catch (ProviderAddressPolicy.RefusedUrlException e) {
            throw refused(token, e);
        }
    }

    private static ApiException refused(ConnectionToken token, ProviderAddressPolicy.RefusedUrlException e) {
        log.warn("Refused to call athenahealth for connection {}: {} ({})", token.connectionId(), e.getMessage(),
                e.code());
        return new ApiException(HttpStatus.BAD_GATEWAY, e.code(),
                "The provider's configured address is not allowed; an administrator must correct it");
    }

    private static URI uri(ConnectionToken token, String resource, Map<String, String> query) {
        if (token.apiBaseUrl() == null || token.practiceId() == null || token.patientId() == null) {
            log.warn("Connection {} has no athenahealth API base URL, practice or patient", token.connectionId());
            throw new ApiException(HttpStatus.CONFLICT, "CONNECTION_NOT_ATHENAHEALTH",
                    "The connection is not an athenahealth patient connection");
        }
        // The contract's base is athenahealth's host (+ prefix) and the version comes here; a base that already
        // ends in the version (as provider-connection-service's catalog may configure it) is taken as it is.
        String base = token.apiBaseUrl().replaceAll("/+$", "");
        UriComponentsBuilder builder = UriComponentsBuilder.fromUriString(base);
        if (!base.endsWith("/v1")) {
            builder.pathSegment("v1");
        }
        builder.pathSegment(token.practiceId(), "patients", token.patientId());
        if (!resource.isEmpty()) {
            builder.pathSegment(resource);
        }
        query.forEach((name, value) -> {
            if (value != null && !value.isEmpty()) {
                builder.queryParam(name, value);
            }
        });
        return builder.encode().build().toUri();
    }

    /** One set of resilience policies per athenahealth environment: scheme, host, port and base path. */
    private static String environment(URI uri) {
        String path = uri.getRawPath();
        int v1 = path.indexOf("/v1/");
        return "athenahealth:" + uri.getHost() + ":" + uri.getPort() + (v1 > 0 ? path.substring(0, v1) : "");
    }

    private static String label(String resource) {
        return resource.isEmpty() ? "patient" : resource;
    }

    private @Nullable Duration retryAfter(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), when.toInstant());
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException ignored) {
                return null;
            }
        }
    }

    private static ApiException unavailable(String detail) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE, detail);
    }
}
