package com.clinicwave.gateway.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The gateway's request limits ({@code clinicwave.gateway.rate-limit.*}): per principal or API key when
 * authenticated, per client IP when anonymous (and for refused credentials, so floods of bad tokens are limited too),
 * and a strict per-IP limit on the credential endpoints (login, registration, token), counted exactly in Redis with
 * one atomic call per request. The high-volume limits are counted by {@link ClusterWindowCounter}.
 */
@Component
public class RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

    /** A counted request: refused when {@code retryAfterSeconds > 0}; the values of the RateLimit-* headers. */
    public record Verdict(int limit, long remaining, long resetSeconds, long retryAfterSeconds) {
        public boolean refused() {
            return retryAfterSeconds > 0;
        }

        /** {@code RateLimit-Limit}, {@code RateLimit-Remaining}, {@code RateLimit-Reset}, and {@code Retry-After}. */
        public java.util.Map<String, String> headers() {
            java.util.Map<String, String> headers = new java.util.LinkedHashMap<>(6);
            headers.put("RateLimit-Limit", Integer.toString(limit));
            headers.put("RateLimit-Remaining", Long.toString(remaining));
            headers.put("RateLimit-Reset", Long.toString(resetSeconds));
            if (refused()) {
                headers.put("Retry-After", Long.toString(retryAfterSeconds));
            }
            return headers;
        }
    }

    private final RateLimitProperties properties;
    private final RedisWindowCounter exact;
    private final ClusterWindowCounter cluster;
    private final Counter refused;
    private final List<String> credentialPaths;

    RateLimiter(RateLimitProperties properties, ReactiveStringRedisTemplate redis, RedisWindowCounter exact,
            MeterRegistry meters) {
        this.properties = properties;
        this.exact = exact;
        this.cluster = new ClusterWindowCounter(redis, properties.redisKeyPrefix());
        this.refused = Counter.builder("gateway.ratelimit.refused").register(meters);
        this.credentialPaths = List.copyOf(properties.credentialPaths());
        Gauge.builder("gateway.ratelimit.windows", cluster, ClusterWindowCounter::size)
                .description("Rate-limit windows counted at this replica").register(meters);
    }

    public boolean enabled() {
        return properties.enabled();
    }

    public boolean isCredentialPath(String path) {
        return credentialPaths.contains(path);
    }

    /** An authenticated caller: by API key when it came with one, else by subject. */
    public Verdict authenticated(String principalKey) {
        return count("authenticated", principalKey, properties.authenticated());
    }

    /** An anonymous call, or a refused credential, by client IP. */
    public Verdict anonymous(String clientIp) {
        return count("anonymous", "ip:" + clientIp, properties.anonymous());
    }

    /** A call to a credential endpoint, by client IP, counted exactly in Redis; fails open if Redis is down. */
    public Mono<Verdict> credentials(String clientIp) {
        RateLimitProperties.Policy policy = properties.credentials();
        return exact.increment(properties.redisKeyPrefix() + "credentials:ip:" + clientIp, policy.window().toMillis())
                .map(window -> verdict(policy.limit(), window.count(), window.resetMillis()))
                .timeout(java.time.Duration.ofSeconds(1))
                .defaultIfEmpty(new Verdict(policy.limit(), policy.limit(), 1, 0))
                .onErrorResume(e -> {
                    log.warn("Rate limiting skipped, Redis unavailable: {}", e.toString());
                    return Mono.just(new Verdict(policy.limit(), policy.limit(), 1, 0));
                });
    }

    private Verdict count(String name, String id, RateLimitProperties.Policy policy) {
        long now = System.currentTimeMillis();
        long[] count = new long[1];
        ClusterWindowCounter.Window window = cluster.increment(name + ':' + id, policy.window().toMillis(), now,
                count);
        return verdict(policy.limit(), count[0], window.endMillis - now);
    }

    private Verdict verdict(int limit, long count, long resetMillis) {
        long resetSeconds = Math.max(1, (resetMillis + 999) / 1000);
        boolean over = count > limit;
        if (over) {
            refused.increment();
        }
        return new Verdict(limit, Math.max(0, limit - count), resetSeconds, over ? resetSeconds : 0);
    }

    @Scheduled(fixedDelayString = "${clinicwave.gateway.rate-limit.sync-interval:50ms}")
    void sync() {
        cluster.sync(System.currentTimeMillis());
    }
}
