package com.clinicwave.claims.sources;

import com.clinicwave.claims.config.ClaimsProperties;
import com.clinicwave.claims.config.HttpClientsConfig.ExternalHttp;
import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClientException;

/**
 * This service's own access token (OAuth client credentials at auth-service), reused until shortly before it
 * expires so that syncs do not ask auth-service for a token per call.
 */
@Component
public class ServiceTokens {

    private final ExternalHttp http;
    private final ClaimsProperties.Auth auth;
    private final Clock clock;
    private volatile @Nullable Cached cached;

    ServiceTokens(ExternalHttp http, ClaimsProperties properties, Clock clock) {
        this.http = http;
        this.auth = properties.auth();
        this.clock = clock;
    }

    private record Cached(String token, Instant refreshAfter) {
    }

    record TokenResponse(String accessToken, @Nullable Long expiresIn) {
    }

    /** A valid bearer token for calls to other ClinicWave services. */
    public String bearer() {
        Cached current = cached;
        if (current != null && clock.instant().isBefore(current.refreshAfter())) {
            return current.token();
        }
        synchronized (this) {
            current = cached;
            if (current != null && clock.instant().isBefore(current.refreshAfter())) {
                return current.token();
            }
            Cached fresh = fetch();
            cached = fresh;
            return fresh.token();
        }
    }

    /** Forgets the cached token (after a 401 from a service, e.g. when auth-service rotated its keys). */
    public void invalidate() {
        cached = null;
    }

    private Cached fetch() {
        if (auth.clientSecret() == null || auth.clientSecret().isBlank()) {
            throw new SyncFailure(SyncFailure.UPSTREAM_UNAVAILABLE, "claims-service has no client secret configured");
        }
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("grant_type", "client_credentials");
        form.add("scope", auth.scope());
        try {
            TokenResponse response = http.client().post()
                    .uri(auth.tokenUrl())
                    .headers(h -> h.setBasicAuth(auth.clientId(), auth.clientSecret()))
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .body(form)
                    .retrieve()
                    .body(TokenResponse.class);
            if (response == null || response.accessToken() == null) {
                throw new SyncFailure(SyncFailure.UPSTREAM_UNAVAILABLE, "auth-service answered without a token");
            }
            long lifetime = response.expiresIn() == null ? 300 : response.expiresIn();
            long margin = Math.min(60, lifetime / 5);
            return new Cached(response.accessToken(), clock.instant().plusSeconds(lifetime - margin));
        } catch (RestClientException e) {
            throw new SyncFailure(SyncFailure.UPSTREAM_UNAVAILABLE, "auth-service did not issue a service token", e);
        }
    }
}
