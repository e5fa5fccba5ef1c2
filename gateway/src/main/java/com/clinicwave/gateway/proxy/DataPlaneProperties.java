package com.clinicwave.gateway.proxy;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The public listener ({@code clinicwave.gateway.*}): its port and connection limits, the upstream connection settings,
 * and the routes — which service answers which paths, with which timeout and whether idempotent calls are retried.
 */
@ConfigurationProperties("clinicwave.gateway")
public record DataPlaneProperties(
        @DefaultValue("8080") int port,
        @DefaultValue("0.0.0.0") String address,
        /** Event-loop threads; 0 means one per CPU. */
        @DefaultValue("0") int ioThreads,
        /** A keep-alive client connection with no request for this long is closed. */
        @DefaultValue("60s") Duration idleTimeout,
        @DefaultValue("8KB") DataSize maxInitialLineLength,
        @DefaultValue("16KB") DataSize maxHeaderSize,
        @DefaultValue("2s") Duration connectTimeout,
        /** Idle upstream connections kept per event loop and upstream instance. */
        @DefaultValue("64") int maxIdleUpstreamConnections,
        @DefaultValue("15s") Duration upstreamIdleTimeout,
        /** Concurrent calls one service may hold at this replica (a bulkhead); past it, a fast 503. */
        @DefaultValue("1000") int maxConcurrentCallsPerService,
        @DefaultValue("2") int retries,
        @DefaultValue("50ms") Duration retryBackoff,
        @DefaultValue("true") boolean accessLog,
        @DefaultValue List<Route> routes) {

    /**
     * One route: requests whose path matches one of {@code paths} (exact, {@code *} for one segment, a trailing
     * {@code /**} for a whole subtree) go to {@code service} (a discovery id, or {@code gateway} for the gateway's
     * own documentation UI), with the path replaced by {@code setPath} when given.
     */
    public record Route(String id, String service, List<String> paths, @Nullable String setPath,
            @DefaultValue("20s") Duration responseTimeout, @DefaultValue("true") boolean retryIdempotent,
            @DefaultValue("false") boolean preserveHost) {
    }
}
