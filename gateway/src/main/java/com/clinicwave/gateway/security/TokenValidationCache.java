package com.clinicwave.gateway.security;

import com.clinicwave.gateway.revocation.RevocationList;
import com.clinicwave.platform.crypto.Hashes;
import com.clinicwave.platform.web.ProblemCodes;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The validation cache of seed 001 in front of the resource-server decoder ({@link JwtVerifier}): the verdict on a token, keyed by its SHA-256, kept until the token expires
 * (bounded in size). A hit re-checks only expiry and revocation; concurrent first requests with one token share one
 * verification. Metrics: {@code gateway.token.cache{result=hit|miss}}.
 */
@Component
public class TokenValidationCache {

    private final JwtVerifier verifier;
    private final RevocationList revocations;
    private final Clock clock;
    private final Duration skew;
    private final AsyncCache<String, VerifiedToken> cache;
    private final Counter hits;
    private final Counter misses;

    TokenValidationCache(JwtValidationProperties properties, RevocationList revocations, Clock clock,
            MeterRegistry meters) {
        this.verifier = new JwtVerifier(properties, clock);
        this.revocations = revocations;
        this.clock = clock;
        this.skew = properties.clockSkew();
        this.cache = Caffeine.newBuilder()
                .maximumSize(properties.cacheMaxTokens())
                .expireAfter(Expiry.<String, VerifiedToken>creating((hash, verdict) -> {
                    Duration left = Duration.between(clock.instant(), verdict.expiresAt().plus(skew));
                    return left.isNegative() ? Duration.ZERO : left;
                }))
                .buildAsync();
        this.hits = Counter.builder("gateway.token.cache").description("Access-token validation cache lookups")
                .tag("result", "hit").register(meters);
        this.misses = Counter.builder("gateway.token.cache").description("Access-token validation cache lookups")
                .tag("result", "miss").register(meters);
    }

    /**
     * The verdict on a token already in the cache, re-checked for expiry and revocation, without leaving the calling
     * thread; {@code null} on a miss (then {@link #validate} verifies it).
     *
     * @throws TokenRejectedException when the cached token has expired or was revoked
     */
    public @org.jspecify.annotations.Nullable VerifiedToken cached(String token) {
        return hit(Hashes.sha256Base64Url(token));
    }

    public Mono<VerifiedToken> validate(String token) {
        String hash = Hashes.sha256Base64Url(token);
        try {
            VerifiedToken hit = hit(hash);
            if (hit != null) {
                return Mono.just(hit);
            }
        } catch (TokenRejectedException e) {
            return Mono.error(e);
        }
        misses.increment();
        return Mono.fromFuture(() -> cache.get(hash, (k, executor) -> verifier.verify(token).toFuture()))
                .onErrorMap(java.util.concurrent.CompletionException.class, e -> e.getCause())
                .map(verdict -> recheck(hash, verdict));
    }

    /** A completed verdict in the cache, re-checked; {@code null} when there is none (yet). */
    private @org.jspecify.annotations.Nullable VerifiedToken hit(String hash) {
        CompletableFuture<VerifiedToken> cached = cache.getIfPresent(hash);
        if (cached != null && cached.isDone() && !cached.isCompletedExceptionally()) {
            hits.increment();
            return recheck(hash, cached.join());
        }
        return null;
    }

    private VerifiedToken recheck(String hash, VerifiedToken verdict) {
        Instant now = clock.instant();
        if (now.isAfter(verdict.expiresAt().plus(skew))) {
            cache.synchronous().invalidate(hash);
            throw new TokenRejectedException(HttpStatus.UNAUTHORIZED, ProblemCodes.TOKEN_EXPIRED,
                    "The access token has expired");
        }
        if (revocations.isRevoked(verdict.jti(), verdict.sid(), verdict.apiKeyId())
                || revocations.isCut(verdict.principal(), verdict.issuedAt())) {
            throw new TokenRejectedException(HttpStatus.UNAUTHORIZED, ProblemCodes.TOKEN_REVOKED,
                    "The access token has been revoked");
        }
        return verdict;
    }

    long size() {
        return cache.synchronous().estimatedSize();
    }
}
