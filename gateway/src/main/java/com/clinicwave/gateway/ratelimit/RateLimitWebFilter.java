package com.clinicwave.gateway.ratelimit;

import com.clinicwave.gateway.edge.ClientAddress;
import com.clinicwave.gateway.edge.ManagementRequests;
import com.clinicwave.gateway.problem.GatewayProblems;
import com.clinicwave.gateway.security.AuthenticatedCaller;
import com.clinicwave.gateway.security.VerifiedToken;
import com.clinicwave.platform.web.ProblemCodes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Applies the rate limits after the security chain (so the key is the verified principal) and before routing: a
 * request past its limit gets 429 {@code RATE_LIMITED} with {@code Retry-After}; every counted response carries the
 * {@code RateLimit-*} headers. If Redis is unreachable the gateway serves rather than refuses (fails open).
 */
@Component
class RateLimitWebFilter implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(RateLimitWebFilter.class);

    private final RateLimitProperties properties;
    private final RedisWindowCounter counter;
    private final GatewayProblems problems;
    private final Counter refused;

    private final ManagementRequests management;

    RateLimitWebFilter(RateLimitProperties properties, RedisWindowCounter counter, GatewayProblems problems,
            MeterRegistry meters, ManagementRequests management) {
        this.management = management;
        this.properties = properties;
        this.counter = counter;
        this.problems = problems;
        this.refused = Counter.builder("gateway.ratelimit.refused").register(meters);
    }

    @Override
    public int getOrder() {
        // The security WebFilterChainProxy runs at -100.
        return -50;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!properties.enabled() || exchange.getRequest().getMethod() == HttpMethod.OPTIONS
                || management.isManagement(exchange)) {
            return chain.filter(exchange);
        }
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        String name;
        RateLimitProperties.Policy policy;
        String id;
        VerifiedToken caller = AuthenticatedCaller.of(exchange);
        if (properties.credentialPaths().contains(path)) {
            name = "credentials";
            policy = properties.credentials();
            id = "ip:" + ClientAddress.of(exchange);
        } else if (caller != null) {
            name = "authenticated";
            policy = properties.authenticated();
            id = caller.apiKeyId() != null ? "key:" + caller.apiKeyId() : "sub:" + caller.principal();
        } else {
            name = "anonymous";
            policy = properties.anonymous();
            id = "ip:" + ClientAddress.of(exchange);
        }
        long windowMillis = policy.window().toMillis();
        return counter.increment(properties.redisKeyPrefix() + name + ":" + id, windowMillis)
                .map(window -> {
                    HttpHeaders headers = exchange.getResponse().getHeaders();
                    long resetSeconds = Math.max(1, (window.resetMillis() + 999) / 1000);
                    headers.set("RateLimit-Limit", Integer.toString(policy.limit()));
                    headers.set("RateLimit-Remaining", Long.toString(Math.max(0, policy.limit() - window.count())));
                    headers.set("RateLimit-Reset", Long.toString(resetSeconds));
                    return window.count() > policy.limit() ? resetSeconds : 0L;
                })
                .onErrorResume(e -> {
                    log.warn("Rate limiting skipped, Redis unavailable: {}", e.toString());
                    return Mono.just(0L);
                })
                .flatMap(retryAfter -> {
                    if (retryAfter > 0) {
                        refused.increment();
                        return problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, ProblemCodes.RATE_LIMITED,
                                "Too many requests, retry after " + retryAfter + " seconds",
                                h -> h.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter)));
                    }
                    return chain.filter(exchange);
                });
    }
}
