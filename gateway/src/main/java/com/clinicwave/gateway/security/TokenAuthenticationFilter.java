package com.clinicwave.gateway.security;

import com.clinicwave.gateway.apikey.ApiKeyExchange;
import com.clinicwave.gateway.edge.ClientAddress;
import com.clinicwave.gateway.edge.EdgeForwardedHeaders;
import com.clinicwave.gateway.problem.GatewayProblems;
import com.clinicwave.gateway.ratelimit.RateLimiter;
import com.clinicwave.platform.web.ProblemCodes;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Authentication at the edge, as a gateway global filter (it runs for every routed request, including the catch-all
 * {@code unrouted} route, before the route filters — rate limits, circuit breaker, retry):
 * <ul>
 * <li>public paths ({@link AccessRules}) are not checked: a bearer token sent there is relayed untouched;</li>
 * <li>{@code Authorization: Bearer <jwt>}: the verdict comes from the {@link TokenValidationCache} (verified once by
 * the resource-server decoder, then re-checked only for expiry and revocation on every request);</li>
 * <li>{@code X-API-Key} / {@code Authorization: ApiKey}: exchanged once for a JWT ({@link ApiKeyExchange}, phantom
 * token) which the service receives instead of the key; a key the gateway has not exchanged yet first counts
 * against the client IP's anonymous limit, so guessing keys cannot flood auth-service;</li>
 * <li>coarse permissions for the administration APIs (403 {@code INSUFFICIENT_PERMISSIONS});</li>
 * <li>a missing or refused credential: 401 problem with an RFC 6750 challenge, counted against the client IP's
 * anonymous limit (429 once past it).</li>
 * </ul>
 * CORS preflights never get here (the gateway's CORS handling answers them); any other {@code OPTIONS} request is
 * authenticated like every method.
 */
@Component
public class TokenAuthenticationFilter implements GlobalFilter, Ordered {

    static final String API_KEY_HEADER = "X-API-Key";

    private final TokenValidationCache tokens;
    private final ApiKeyExchange apiKeys;
    private final RateLimiter rateLimiter;
    private final GatewayProblems problems;

    TokenAuthenticationFilter(TokenValidationCache tokens, ApiKeyExchange apiKeys, RateLimiter rateLimiter,
            GatewayProblems problems) {
        this.tokens = tokens;
        this.apiKeys = apiKeys;
        this.rateLimiter = rateLimiter;
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        // Before every route filter (their order is their position, from 1) and the load balancer / routing filters.
        return -200;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        HttpHeaders headers = request.getHeaders();
        String apiKey = headers.getFirst(API_KEY_HEADER);
        String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
        String bearer = null;
        if (apiKey != null && !apiKey.isBlank()) {
            apiKey = apiKey.strip();
        } else {
            apiKey = null;
            if (authorization != null && authorization.regionMatches(true, 0, "ApiKey ", 0, 7)) {
                apiKey = authorization.substring(7).strip();
            } else if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                bearer = authorization.substring(7).strip();
            }
        }
        HttpMethod method = request.getMethod();
        String path = request.getPath().value();
        if (AccessRules.isPublic(method, path)) {
            // Public paths are not checked: a bearer token is relayed untouched; an API key never leaves the gateway
            // (EdgeForwardedHeaders removes it from what the service receives).
            return chain.filter(exchange);
        }
        if (apiKey == null && (bearer == null || bearer.isEmpty())) {
            return refused(exchange, HttpStatus.UNAUTHORIZED, ProblemCodes.UNAUTHENTICATED, "Authentication is required",
                    "Bearer");
        }
        boolean presentedKey = apiKey != null;
        try {
            if (bearer != null) {
                VerifiedToken cached = tokens.cached(bearer);
                if (cached != null) {
                    return authenticated(exchange, chain, cached, false);
                }
                return verdict(exchange, chain, tokens.validate(bearer), false);
            }
            String exchanged = apiKeys.cachedAccessToken(apiKey);
            if (exchanged != null) {
                VerifiedToken cached = tokens.cached(exchanged);
                return cached != null ? authenticated(exchange, chain, cached, true)
                        : verdict(exchange, chain, tokens.validate(exchanged), true);
            }
            // A key not exchanged yet (new, or unknown): counted against the client IP before auth-service is asked.
            if (rateLimiter.enabled()) {
                RateLimiter.Verdict verdict = rateLimiter.anonymous(ClientAddress.of(exchange));
                if (verdict.refused()) {
                    return tooManyRequests(exchange, verdict);
                }
            }
            return verdict(exchange, chain, apiKeys.accessToken(apiKey).flatMap(tokens::validate), presentedKey);
        } catch (TokenRejectedException e) {
            return rejected(exchange, e);
        }
    }

    private Mono<Void> verdict(ServerWebExchange exchange, GatewayFilterChain chain, Mono<VerifiedToken> verdict,
            boolean apiKey) {
        return verdict
                .switchIfEmpty(Mono.error(() -> new TokenRejectedException(HttpStatus.UNAUTHORIZED,
                        ProblemCodes.TOKEN_INVALID, "The access token is invalid")))
                .materialize()
                .flatMap(signal -> {
                    if (signal.hasValue()) {
                        return authenticated(exchange, chain, signal.get(), apiKey);
                    }
                    Throwable error = signal.getThrowable();
                    if (error instanceof TokenRejectedException rejected) {
                        return rejected(exchange, rejected);
                    }
                    return error == null ? Mono.empty() : problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE,
                            ProblemCodes.UPSTREAM_UNAVAILABLE,
                            "The token cannot be verified right now, please retry later",
                            h -> h.set(HttpHeaders.RETRY_AFTER, "5"));
                });
    }

    private Mono<Void> authenticated(ServerWebExchange exchange, GatewayFilterChain chain, VerifiedToken caller,
            boolean apiKey) {
        String authority = AccessRules.requiredAuthority(exchange.getRequest().getPath().value());
        if (authority != null && caller.authentication().getAuthorities().stream()
                .noneMatch(a -> authority.equals(a.getAuthority()))) {
            return problems.write(exchange, HttpStatus.FORBIDDEN, ProblemCodes.INSUFFICIENT_PERMISSIONS,
                    "You do not have permission to do this",
                    h -> h.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\""));
        }
        exchange.getAttributes().put(AuthenticatedCaller.ATTRIBUTE, caller);
        if (apiKey) {
            // Services only ever receive JWTs: the exchanged token stands in for the key, which never leaves the
            // gateway (set by EdgeForwardedHeaders on the proxied request: no copy of the headers here).
            exchange.getAttributes().put(EdgeForwardedHeaders.RELAYED_BEARER, caller.tokenValue());
        }
        return chain.filter(exchange);
    }

    private Mono<Void> rejected(ServerWebExchange exchange, TokenRejectedException e) {
        if (e.status() == HttpStatus.UNAUTHORIZED) {
            return refused(exchange, HttpStatus.UNAUTHORIZED, e.code(), e.getMessage(),
                    "Bearer error=\"invalid_token\", error_description=\"" + e.getMessage() + "\"");
        }
        return problems.write(exchange, e.status(), e.code(), e.getMessage(), h -> {
            if (e.status() == HttpStatus.SERVICE_UNAVAILABLE) {
                h.set(HttpHeaders.RETRY_AFTER, "5");
            }
        });
    }

    /** A missing or refused credential: counted against the client IP's anonymous limit, so floods are limited. */
    private Mono<Void> refused(ServerWebExchange exchange, HttpStatus status, String code, String detail,
            @Nullable String challenge) {
        if (rateLimiter.enabled()) {
            RateLimiter.Verdict verdict = rateLimiter.anonymous(ClientAddress.of(exchange));
            if (verdict.refused()) {
                return tooManyRequests(exchange, verdict);
            }
        }
        return problems.write(exchange, status, code, detail, h -> {
            if (challenge != null) {
                h.set(HttpHeaders.WWW_AUTHENTICATE, challenge);
            }
        });
    }

    private Mono<Void> tooManyRequests(ServerWebExchange exchange, RateLimiter.Verdict verdict) {
        return problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, ProblemCodes.RATE_LIMITED,
                "Too many requests, retry after " + verdict.retryAfterSeconds() + " seconds",
                h -> verdict.headers().forEach(h::set));
    }
}
