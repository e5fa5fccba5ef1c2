package com.clinicwave.connections.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of provider-connection-service ({@code clinicwave.connections.*}): the token keyset, the client-assertion
 * keys, the redirect allow-list, OAuth state lifetime, refresh timing, provider HTTP resilience and the catalog seed.
 */
@ConfigurationProperties("clinicwave.connections")
public record ConnectionsProperties(
        /* Tink JSON keyset (cleartext) that encrypts provider tokens and client secrets; the primary key encrypts. */
        String tokenKeyset,
        /* JWK set (with private keys) that signs private_key_jwt client assertions; the first key signs. */
        @Nullable String clientAssertionJwks,
        /* The redirect_uri registered at every provider: the public callback, through the gateway. */
        String callbackUrl,
        /* Redirect URLs a client may ask to be sent back to: exact URLs, or prefixes when they end with '/'. */
        @DefaultValue List<String> redirectAllowList,
        @DefaultValue("10m") Duration stateTtl,
        @DefaultValue Refresh refresh,
        @DefaultValue Http http,
        @DefaultValue Map<String, ProviderSeed> catalog) {

    /** Automatic refresh: how long before expiry, how often the job looks, and the shortest gap between refreshes. */
    public record Refresh(@DefaultValue("5m") Duration ahead, @DefaultValue("30s") Duration interval,
            @DefaultValue("5s") Duration minInterval, @DefaultValue("true") boolean schedulerEnabled,
            @DefaultValue("50") int batchSize) {
    }

    /** Outbound calls to providers: timeouts, retries (idempotent calls only) and the circuit breaker. */
    public record Http(@DefaultValue("2s") Duration connectTimeout, @DefaultValue("5s") Duration readTimeout,
            @DefaultValue("3") int maxAttempts, @DefaultValue("200ms") Duration retryBackoff,
            @DefaultValue("50") float failureRateThreshold, @DefaultValue("10") int minimumNumberOfCalls,
            @DefaultValue("20") int slidingWindowSize, @DefaultValue("30s") Duration openStateDuration) {
    }

    /** One provider of the seeded catalog (inserted when absent; later changes go through the admin API). */
    public record ProviderSeed(String name, @Nullable String displayName, @Nullable String description,
            @Nullable String logoUrl, @Nullable String websiteUrl, String providerType,
            String authorizationUrl, String tokenUrl, @Nullable String revocationUrl, @Nullable String issuer,
            String clientId, @Nullable String clientSecret, @DefaultValue("client_secret_basic") String clientAuthMethod,
            String scopes, @DefaultValue("true") boolean pkceRequired, @DefaultValue Map<String, String> additionalParams,
            @Nullable String apiBaseUrl, @Nullable String fhirBaseUrl, @Nullable String termsVersion,
            @Nullable String termsText, @Nullable String termsEffectiveDate) {
    }
}
