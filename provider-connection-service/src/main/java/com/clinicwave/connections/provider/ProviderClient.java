package com.clinicwave.connections.provider;

import com.clinicwave.connections.catalog.CatalogService;
import com.clinicwave.connections.catalog.Provider;
import com.clinicwave.platform.net.ProviderAddressPolicy;
import com.clinicwave.platform.net.ProviderHttpClients;
import com.clinicwave.connections.config.ConnectionsProperties;
import com.clinicwave.connections.crypto.ClientAssertionKeys;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to providers' OAuth endpoints (token, revocation) with the configured client authentication, under a
 * timeout, a circuit breaker per provider, and retries with backoff where a retry cannot do harm: revocation is
 * idempotent, while a code exchange or refresh (single-use code, rotating refresh token) is retried only when the
 * request never reached the provider (connection refused).
 */
@Component
public class ProviderClient {

    private static final Logger log = LoggerFactory.getLogger(ProviderClient.class);

    private final RestClient http;
    private final CatalogService catalog;
    private final ClientAssertionKeys assertionKeys;
    private final ConnectionsProperties properties;
    private final JsonMapper json;
    private final Clock clock;
    private final CircuitBreakerRegistry breakers;
    private final Retry idempotentRetry;
    private final Retry notSentRetry;
    private final ProviderAddressPolicy addressPolicy;

    ProviderClient(CatalogService catalog, ClientAssertionKeys assertionKeys, ConnectionsProperties properties,
            JsonMapper json, Clock clock, ObservationRegistry observations, MeterRegistry meters,
            ProviderAddressPolicy addressPolicy) {
        this.catalog = catalog;
        this.assertionKeys = assertionKeys;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
        ConnectionsProperties.Http h = properties.http();
        this.addressPolicy = addressPolicy;
        // The SSRF policy is this client's DNS resolver: a connection goes only to addresses it has checked, so a
        // provider host re-pointed at an internal address (or a DNS rebinding) is refused at call time too.
        HttpComponentsClientHttpRequestFactory factory = ProviderHttpClients.requestFactory(addressPolicy,
                h.connectTimeout(), h.readTimeout(), 200, 50);
        this.http = RestClient.builder().requestFactory(factory).observationRegistry(observations).build();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(h.failureRateThreshold())
                .minimumNumberOfCalls(h.minimumNumberOfCalls())
                .slidingWindowSize(h.slidingWindowSize())
                .waitDurationInOpenState(h.openStateDuration())
                .recordExceptions(ProviderUnavailableException.class)
                .build());
        // resilience4j_circuitbreaker_* metrics, one breaker per provider, for the dashboards and alerts.
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        RetryRegistry retries = RetryRegistry.ofDefaults();
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(h.retryBackoff(), 2.0, 0.5);
        this.idempotentRetry = retries.retry("provider-idempotent", RetryConfig.custom()
                .maxAttempts(h.maxAttempts()).intervalFunction(backoff)
                .retryExceptions(ProviderUnavailableException.class).build());
        this.notSentRetry = retries.retry("provider-not-sent", RetryConfig.custom()
                .maxAttempts(h.maxAttempts()).intervalFunction(backoff)
                .retryOnException(ProviderClient::neverSent).build());
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
    }

    public CircuitBreaker breaker(String providerKey) {
        return breakers.circuitBreaker("provider-" + providerKey);
    }

    /** Exchanges an authorization code (with the PKCE verifier) for tokens. */
    public TokenResponse exchangeCode(Provider provider, String code, @Nullable String codeVerifier) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("grant_type", "authorization_code");
        form.add("code", code);
        form.add("redirect_uri", properties.callbackUrl());
        if (codeVerifier != null) {
            form.add("code_verifier", codeVerifier);
        }
        return token(provider, form);
    }

    /** Uses a refresh token; the answer may carry a new (rotated) refresh token. */
    public TokenResponse refresh(Provider provider, String refreshToken) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("grant_type", "refresh_token");
        form.add("refresh_token", refreshToken);
        return token(provider, form);
    }

    /** RFC 7009 revocation; a provider without a revocation endpoint is skipped. */
    public void revoke(Provider provider, String token, String tokenTypeHint) {
        if (provider.revocationUrl() == null || provider.revocationUrl().isBlank()) {
            return;
        }
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("token", token);
        form.add("token_type_hint", tokenTypeHint);
        call(provider, idempotentRetry, () -> {
            Result result = post(provider, provider.revocationUrl(), form);
            // RFC 7009: 200 for any token, also an unknown one; 503 means try again later.
            if (result.status >= 500 || result.status == 429) {
                throw new ProviderUnavailableException("Revocation failed with " + result.status);
            }
            if (result.status >= 400) {
                throw oauthError(result);
            }
            return null;
        });
    }

    private TokenResponse token(Provider provider, MultiValueMap<String, String> form) {
        return call(provider, notSentRetry, () -> {
            Result result = post(provider, provider.tokenUrl(), form);
            if (result.status >= 500 || result.status == 429) {
                throw new ProviderUnavailableException("Token endpoint answered " + result.status);
            }
            if (result.status >= 400) {
                throw oauthError(result);
            }
            return parseToken(result);
        });
    }

    private <T> T call(Provider provider, Retry retry, Supplier<T> call) {
        CircuitBreaker breaker = breaker(provider.providerKey());
        Supplier<T> guarded = Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, call));
        try {
            return guarded.get();
        } catch (CallNotPermittedException e) {
            throw new ProviderUnavailableException("Circuit open for " + provider.providerKey(), e);
        }
    }

    private record Result(int status, String body) {
    }

    private Result post(Provider provider, String url, MultiValueMap<String, String> form) {
        MultiValueMap<String, String> body = new LinkedMultiValueMap<>(form);
        HttpHeaders headers = new HttpHeaders();
        try {
            addressPolicy.check(url);
        } catch (ProviderAddressPolicy.RefusedUrlException e) {
            log.warn("Refused to call provider {}: {} ({})", provider.providerKey(), e.getMessage(), e.code());
            throw new ProviderUnavailableException("Provider URL refused by the address policy: " + e.code(), e);
        }
        authenticate(provider, url, body, headers);
        try {
            return http.post().uri(URI.create(url))
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .accept(MediaType.APPLICATION_JSON)
                    .headers(h -> h.addAll(headers))
                    .body(body)
                    .exchange((request, response) -> new Result(response.getStatusCode().value(),
                            new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)));
        } catch (ResourceAccessException e) {
            throw new ProviderUnavailableException("Provider " + provider.providerKey() + " unreachable", e);
        } catch (ProviderAddressPolicy.RefusedUrlException e) {
            // The host changed its answer since the check above: the resolver refused to connect.
            log.warn("Refused to connect to provider {}: {} ({})", provider.providerKey(), e.getMessage(), e.code());
            throw new ProviderUnavailableException("Provider address refused by the address policy: " + e.code(), e);
        } catch (RuntimeException e) {
            if (e instanceof ProviderUnavailableException) {
                throw e;
            }
            throw new ProviderUnavailableException("Provider call failed", e);
        }
    }

    private void authenticate(Provider provider, String audience, MultiValueMap<String, String> body,
            HttpHeaders headers) {
        switch (provider.clientAuthMethod()) {
            case "client_secret_basic" -> {
                String secret = requireSecret(provider);
                String credentials = form(provider.clientId()) + ":" + form(secret);
                headers.set(HttpHeaders.AUTHORIZATION, "Basic "
                        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
            }
            case "client_secret_post" -> {
                body.add("client_id", provider.clientId());
                body.add("client_secret", requireSecret(provider));
            }
            case "private_key_jwt" -> {
                body.add("client_id", provider.clientId());
                body.add("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
                // RFC 7523: the audience is the authorization server; its token endpoint URL identifies it.
                body.add("client_assertion", assertionKeys.clientAssertion(provider.clientId(), provider.tokenUrl(),
                        clock.instant()));
            }
            default -> body.add("client_id", provider.clientId());
        }
    }

    private String requireSecret(Provider provider) {
        String secret = catalog.clientSecret(provider);
        if (secret == null) {
            throw new IllegalStateException("Provider " + provider.providerKey() + " has no client secret configured");
        }
        return secret;
    }

    /** RFC 6749 §2.3.1: client id and secret are form-encoded before Basic encoding. */
    private static String form(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private ProviderOAuthException oauthError(Result result) {
        try {
            JsonNode node = json.readTree(result.body());
            String error = node.path("error").asString("");
            if (!error.isBlank()) {
                String description = node.path("error_description").isMissingNode() ? null
                        : node.path("error_description").asString();
                return new ProviderOAuthException(result.status, error, description);
            }
        } catch (JacksonException e) {
            log.debug("Provider error body is not JSON");
        }
        return new ProviderOAuthException(result.status, "invalid_request", "HTTP " + result.status);
    }

    private TokenResponse parseToken(Result result) {
        try {
            JsonNode node = json.readTree(result.body());
            String accessToken = text(node, "access_token");
            if (accessToken == null) {
                throw new ProviderUnavailableException("Token response without access_token");
            }
            String tokenType = text(node, "token_type");
            Long expiresIn = node.path("expires_in").isNumber() ? node.path("expires_in").asLong()
                    : node.path("expires_in").isString() ? Long.valueOf(node.path("expires_in").asString()) : null;
            return new TokenResponse(accessToken, tokenType == null ? "Bearer" : tokenType, expiresIn,
                    text(node, "refresh_token"), text(node, "scope"), text(node, "patient"),
                    text(node, "practice_id") != null ? text(node, "practice_id") : text(node, "practiceid"));
        } catch (JacksonException | NumberFormatException e) {
            throw new ProviderUnavailableException("Token response is not valid JSON", e);
        }
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static boolean neverSent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }
}
