package com.clinicwave.platform.client;

import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;

/**
 * This service's own access token from auth-service (client_credentials with {@code clinicwave.service-client.*}),
 * kept in memory until {@code refresh-margin} before it expires (at most half its lifetime), so calls to other
 * services do not each cost a token. Concurrent callers wait for one fetch instead of each starting their own.
 */
public class ServiceTokens {

    private static final Logger log = LoggerFactory.getLogger(ServiceTokens.class);

    /** auth-service gave no token: 503 {@code UPSTREAM_UNAVAILABLE} when it reaches a controller. */
    public static final class UnavailableException extends ApiException {
        UnavailableException() {
            super(HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE,
                    "The identity service is unavailable; try again shortly");
        }
    }

    private record Cached(String value, Instant refreshAt) {
    }

    private final RestClient http;
    private final ServiceClientProperties client;
    private final Clock clock;
    private final Object fetchLock = new Object();
    private volatile @Nullable Cached cached;

    public ServiceTokens(RestClient http, ServiceClientProperties client, Clock clock) {
        this.http = http;
        this.client = client;
        this.clock = clock;
    }

    /** A valid bearer token for calls to other ClinicWave services, or {@link UnavailableException}. */
    public String current() {
        Cached token = cached;
        if (token != null && clock.instant().isBefore(token.refreshAt())) {
            return token.value();
        }
        synchronized (fetchLock) {
            token = cached;
            if (token == null || !clock.instant().isBefore(token.refreshAt())) {
                token = fetch();
                cached = token;
            }
            return token.value();
        }
    }

    /** Forgets the token (after a 401 from a service that should have accepted it, e.g. after a key rotation). */
    public void invalidate() {
        cached = null;
    }

    private Cached fetch() {
        String secret = client.clientSecret();
        if (client.clientId() == null || secret == null || secret.isBlank()) {
            log.warn("No service token: clinicwave.service-client.client-secret is not set");
            throw new UnavailableException();
        }
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("grant_type", "client_credentials");
        if (client.scope() != null && !client.scope().isBlank()) {
            form.add("scope", client.scope());
        }
        try {
            JsonNode body = http.post()
                    .uri(client.tokenUrl())
                    .headers(h -> h.setBasicAuth(client.clientId(), secret))
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .accept(MediaType.APPLICATION_JSON)
                    .body(form)
                    .retrieve()
                    .body(JsonNode.class);
            String value = body == null ? null : body.path("access_token").asString(null);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("no access_token in the token response");
            }
            long expiresIn = body.path("expires_in").asLong(300);
            Duration lifetime = Duration.ofSeconds(Math.max(1, expiresIn));
            Duration margin = client.refreshMargin().compareTo(lifetime.dividedBy(2)) < 0 ? client.refreshMargin()
                    : lifetime.dividedBy(2);
            log.info("Obtained a service token from auth-service for client {} (expires in {} s)", client.clientId(),
                    expiresIn);
            return new Cached(value, clock.instant().plus(lifetime).minus(margin));
        } catch (RestClientException | IllegalStateException e) {
            log.warn("Could not obtain a service token from auth-service: {}", e.getClass().getSimpleName());
            throw new UnavailableException();
        }
    }
}
