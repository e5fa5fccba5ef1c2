package com.clinicwave.athena.connections;

import com.clinicwave.athena.config.AthenaProperties;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;

/**
 * This service's own access token from auth-service (client_credentials, scope {@code connections:token}),
 * kept in memory until shortly before it expires so provider-connection-service calls do not each cost a token.
 */
@Component
public class ServiceTokens {

    private static final Logger log = LoggerFactory.getLogger(ServiceTokens.class);
    private static final Duration EARLY = Duration.ofSeconds(30);

    private record Cached(String value, Instant refreshAt) {
    }

    private final RestClient http;
    private final AthenaProperties.ServiceClient client;
    private final Clock clock;
    private volatile Cached cached;

    ServiceTokens(RestClient.Builder builder, AthenaProperties properties, Clock clock) {
        this.http = builder.build();
        this.client = properties.serviceClient();
        this.clock = clock;
    }

    public String current() {
        Cached token = cached;
        if (token != null && clock.instant().isBefore(token.refreshAt())) {
            return token.value();
        }
        synchronized (this) {
            token = cached;
            if (token == null || !clock.instant().isBefore(token.refreshAt())) {
                token = fetch();
                cached = token;
            }
            return token.value();
        }
    }

    /** Forgets the token (after a 401 from a service that should have accepted it). */
    public void invalidate() {
        cached = null;
    }

    private Cached fetch() {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("grant_type", "client_credentials");
        form.add("scope", client.scope());
        try {
            JsonNode body = http.post()
                    .uri(client.tokenUrl())
                    .headers(h -> h.setBasicAuth(client.clientId(), client.clientSecret()))
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
            Duration lifetime = Duration.ofSeconds(expiresIn);
            Duration early = lifetime.compareTo(EARLY.multipliedBy(2)) > 0 ? EARLY : lifetime.dividedBy(2);
            log.info("Obtained a service token from auth-service for client {} (expires in {} s)", client.clientId(),
                    expiresIn);
            return new Cached(value, clock.instant().plus(lifetime).minus(early));
        } catch (RestClientException | IllegalStateException e) {
            log.warn("Could not obtain a service token from auth-service: {}", e.getClass().getSimpleName());
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE,
                    "The identity service is unavailable; try again shortly");
        }
    }
}
