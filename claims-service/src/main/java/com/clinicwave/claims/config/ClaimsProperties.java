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
     * how many syncs one instance runs at once, whether this instance runs the schedule, the HTTP timeouts, and the
     * page pipeline of a sync: pages fetched ahead of the writer ({@code pipeline-depth}), parsed in parallel
     * ({@code parse-threads}), and pages already parsed written together up to {@code write-batch} claims.
     * Retries, breakers and bulkheads are Resilience4j's ({@code resilience4j.*}).
     */
    public record Sync(@DefaultValue("6h") Duration interval, @DefaultValue("15m") Duration retryAfterFailure,
            @DefaultValue("25s") Duration manualWait, @DefaultValue("200") int pageSize,
            @DefaultValue("2m") Duration staleAfter, @DefaultValue("4") int maxConcurrent,
            @DefaultValue("true") boolean schedulerEnabled, @DefaultValue("20") int schedulerBatch,
            @DefaultValue("5s") Duration connectTimeout, @DefaultValue("30s") Duration readTimeout,
            @DefaultValue("4") int pipelineDepth, @DefaultValue("2") int parseThreads,
            @DefaultValue("2000") int writeBatch) {
    }

    /**
     * Base URLs of the services called: Eureka service ids through the load-balanced client, or plain URLs when
     * {@code load-balanced} is false (tests, or a platform that routes by DNS).
     */
    public record Services(@DefaultValue("http://provider-connection-service") String providerConnections,
            @DefaultValue("http://athena-service") String athena, @DefaultValue("true") boolean loadBalanced) {
    }
}
