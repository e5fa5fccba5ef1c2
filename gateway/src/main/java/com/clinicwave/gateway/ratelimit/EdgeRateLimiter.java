package com.clinicwave.gateway.ratelimit;

import java.util.Map;
import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter.Response;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The gateway's {@code RequestRateLimiter} limiter (Spring Cloud Gateway's {@code RateLimiter} contract) on top of
 * {@link RateLimiter}: the key from {@link RateLimitKeys} names the policy — {@code authenticated:<key:id|sub:id>}
 * (counted locally, synced to Redis every 50 ms), {@code anonymous:ip:<ip>} (same), {@code credentials:ip:<ip>}
 * (counted exactly in Redis) — and every answer carries the {@code RateLimit-*} headers, plus {@code Retry-After} on a
 * refusal (which {@code EdgeWebFilter} turns into a 429 {@code RATE_LIMITED} problem).
 */
@Component
@Primary
public class EdgeRateLimiter implements org.springframework.cloud.gateway.filter.ratelimit.RateLimiter<Object> {

    static final String AUTHENTICATED = "authenticated:";
    static final String ANONYMOUS = "anonymous:ip:";
    static final String CREDENTIALS = "credentials:ip:";

    private static final Response ALLOWED = new Response(true, Map.of());

    private final RateLimiter limiter;

    EdgeRateLimiter(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Mono<Response> isAllowed(String routeId, String id) {
        if (!limiter.enabled()) {
            return Mono.just(ALLOWED);
        }
        if (id.startsWith(AUTHENTICATED)) {
            return Mono.just(response(limiter.authenticated(id.substring(AUTHENTICATED.length()))));
        }
        if (id.startsWith(CREDENTIALS)) {
            return limiter.credentials(id.substring(CREDENTIALS.length())).map(EdgeRateLimiter::response);
        }
        if (id.startsWith(ANONYMOUS)) {
            return Mono.just(response(limiter.anonymous(id.substring(ANONYMOUS.length()))));
        }
        throw new IllegalArgumentException("Unknown rate-limit key kind");
    }

    private static Response response(RateLimiter.Verdict verdict) {
        return new Response(!verdict.refused(), verdict.headers());
    }

    @Override
    public Map<String, Object> getConfig() {
        return Map.of();
    }

    @Override
    public Class<Object> getConfigClass() {
        return Object.class;
    }

    @Override
    public Object newConfig() {
        return new Object();
    }
}
