package com.clinicwave.claims.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Settings of claims-service ({@code clinicwave.claims.*}). */
@ConfigurationProperties("clinicwave.claims")
public record ClaimsProperties(@DefaultValue Sync sync, @DefaultValue Services services) {

    /**
     * How syncs run: the schedule interval per connection, the delay after a failed run, how long a manual
     * request waits for its outcome, page size asked from providers, when a silent running run counts as dead,
     * how many syncs one instance runs at once, and whether this instance runs the schedule.
     */
    public record Sync(@DefaultValue("6h") Duration interval, @DefaultValue("15m") Duration retryAfterFailure,
            @DefaultValue("25s") Duration manualWait, @DefaultValue("200") int pageSize,
            @DefaultValue("2m") Duration staleAfter, @DefaultValue("4") int maxConcurrent,
            @DefaultValue("true") boolean schedulerEnabled, @DefaultValue("20") int schedulerBatch,
            @DefaultValue("2") int upstreamRetries, @DefaultValue("500ms") Duration upstreamRetryDelay,
            @DefaultValue("5s") Duration connectTimeout, @DefaultValue("30s") Duration readTimeout) {
    }

    /**
     * Base URLs of the services called: Eureka service ids through the load-balanced client, or plain URLs when
     * {@code load-balanced} is false (tests, or a platform that routes by DNS).
     */
    public record Services(@DefaultValue("http://provider-connection-service") String providerConnections,
            @DefaultValue("http://athena-service") String athena, @DefaultValue("true") boolean loadBalanced) {
    }
}
