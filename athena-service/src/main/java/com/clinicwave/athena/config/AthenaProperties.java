package com.clinicwave.athena.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * athena-service settings ({@code clinicwave.athena.*}): where provider-connection-service and auth-service are,
 * how long to trust cached answers, and the resilience budget for calls to athenahealth.
 */
@Validated
@ConfigurationProperties("clinicwave.athena")
public record AthenaProperties(
        /* Base URL of provider-connection-service; a service id resolved through Eureka by default. */
        @NotNull @DefaultValue("http://provider-connection-service") URI connectionsUrl,
        /* How long a connection's owner/status answer is reused (ownership checks on every call). */
        @NotNull @DefaultValue("30s") Duration connectionInfoTtl,
        /* A cached provider token is dropped this long before it expires, so no call goes out with a dying token. */
        @NotNull @DefaultValue("60s") Duration tokenRefreshSkew,
        /* Base64 AES-256 key sealing provider tokens in Redis; empty: a key per instance (no sharing). */
        @Nullable String tokenCacheKey,
        @Valid @NotNull @DefaultValue Upstream upstream) {

    @Override
    public String toString() {
        return "AthenaProperties[connectionsUrl=" + connectionsUrl + ", upstream=" + upstream + "]";
    }

    /** Resilience4j budget for the athenahealth API (per API base URL). */
    public record Upstream(
            @NotNull @DefaultValue("2s") Duration connectTimeout,
            @NotNull @DefaultValue("3500ms") Duration readTimeout,
            /* Per attempt, including waiting for the response body. */
            @NotNull @DefaultValue("4s") Duration timeout,
            /* All attempts and waits of one call together; below the gateway's 20 s for this service. */
            @NotNull @DefaultValue("15s") Duration budget,
            @Min(1) @DefaultValue("3") int maxAttempts,
            @NotNull @DefaultValue("200ms") Duration backoff,
            /* A Retry-After longer than this is not waited for: the caller gets 503 at once. */
            @NotNull @DefaultValue("3s") Duration maxRetryAfter,
            /* athenahealth's per-second limit for this client (the sandbox's and production's differ). */
            @Min(1) @DefaultValue("10") int requestsPerSecond,
            @NotNull @DefaultValue("1s") Duration rateLimitWait,
            @Min(1) @DefaultValue("25") int maxConcurrentCalls,
            @NotNull @DefaultValue("0ms") Duration bulkheadWait,
            @Min(1) @DefaultValue("50") int failureRateThreshold,
            @Min(1) @DefaultValue("20") int slidingWindowSize,
            @Min(1) @DefaultValue("10") int minimumNumberOfCalls,
            @NotNull @DefaultValue("30s") Duration openStateWait) {
    }
}
