package com.clinicwave.gateway.apikey;

import com.clinicwave.gateway.revocation.RevocationList;
import com.clinicwave.platform.web.ProblemCodes;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import com.nimbusds.jwt.JWTParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import com.clinicwave.gateway.security.TokenRejectedException;
import com.clinicwave.platform.crypto.Hashes;

/**
 * The phantom-token exchange: an API key is traded at auth-service for a short-lived JWT, cached by the key's SHA-256
 * until shortly before that JWT expires, so services only ever see JWTs. A cached JWT is dropped at once when its key
 * is revoked ({@code key:}) or when all its owner's tokens are ({@code sub:}: a role change, a lock, the tenant
 * disabled): the next request exchanges the key again and gets the owner's permissions and state of now (or the
 * exchange's refusal). An exchange that was under way when its owner's tokens were revoked is made again.
 */
@Component
public class ApiKeyExchange {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyExchange.class);
    private static final Set<String> KEY_CODES = Set.of("API_KEY_INVALID", "API_KEY_REVOKED", "API_KEY_EXPIRED");

    record Exchanged(String accessToken, Instant expiresAt, @Nullable String apiKeyId, @Nullable String subject) {
    }

    private final WebClient client;
    private final JsonMapper json;
    private final ApiKeyProperties properties;
    private final Clock clock;
    private final RevocationList revocations;
    private final AsyncCache<String, Exchanged> cache;
    private final Counter hits;
    private final Counter misses;

    ApiKeyExchange(ApiKeyProperties properties, Clock clock, MeterRegistry meters, RevocationList revocations,
            JsonMapper json) {
        this.properties = properties;
        this.clock = clock;
        this.json = json;
        this.revocations = revocations;
        this.client = WebClient.builder()
                .defaultHeaders(h -> h.setBasicAuth(properties.clientId(),
                        properties.clientSecret() == null ? "" : properties.clientSecret(), StandardCharsets.UTF_8))
                .build();
        this.cache = Caffeine.newBuilder()
                .maximumSize(properties.cacheMaxKeys())
                .expireAfter(Expiry.<String, Exchanged>creating((key, value) -> {
                    Duration left = Duration.between(clock.instant(), value.expiresAt())
                            .minus(properties.refreshBeforeExpiry());
                    return left.isNegative() ? Duration.ZERO : left;
                }))
                .buildAsync();
        this.hits = Counter.builder("gateway.apikey.cache").tag("result", "hit").register(meters);
        this.misses = Counter.builder("gateway.apikey.cache").tag("result", "miss").register(meters);
        revocations.onApiKeyRevoked(this::evictKeyId);
        revocations.onSubjectRevoked(this::evictSubject);
    }

    /** The JWT standing for this API key if it is cached, else {@code null} (then {@link #accessToken} exchanges it). */
    public @Nullable String cachedAccessToken(String apiKey) {
        return hit(Hashes.sha256Base64Url(apiKey));
    }

    /** The JWT standing for this API key, from the cache or a fresh exchange. */
    public Mono<String> accessToken(String apiKey) {
        String hash = Hashes.sha256Base64Url(apiKey);
        String hit = hit(hash);
        if (hit != null) {
            return Mono.just(hit);
        }
        misses.increment();
        return Mono.defer(() -> {
            CompletableFuture<Exchanged> future = cache.get(hash, (k, executor) -> exchange(apiKey).toFuture());
            // A refusal is not cached: removed before it is answered (Caffeine removes it too, but maybe only after
            // the answer, and the next request — the key after the owner's unlock — would get it again).
            return Mono.fromFuture(future).doOnError(e -> cache.asMap().remove(hash, future));
        }).map(Exchanged::accessToken);
    }

    private @Nullable String hit(String hash) {
        CompletableFuture<Exchanged> cached = cache.getIfPresent(hash);
        if (cached != null && cached.isDone() && !cached.isCompletedExceptionally()) {
            hits.increment();
            return cached.join().accessToken();
        }
        return null;
    }

    /**
     * The exchange, made once more when the owner's tokens were revoked while it ran: auth-service may have answered
     * with the roles or state from before (its revocation is published once the change has committed).
     */
    private Mono<Exchanged> exchange(String apiKey) {
        return Mono.defer(() -> {
            long mark = revocations.cutMark();
            return call(apiKey).flatMap(exchanged -> revocations.cutSince(exchanged.subject(), mark) ? call(apiKey)
                    : Mono.just(exchanged));
        });
    }

    private Mono<Exchanged> call(String apiKey) {
        return client.post()
                .uri(properties.exchangeUri())
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("api_key", apiKey))
                .exchangeToMono(response -> {
                    HttpStatusCode status = response.statusCode();
                    if (status.is2xxSuccessful()) {
                        return response.bodyToMono(String.class).map(this::parse);
                    }
                    if (status.value() == 401 || status.value() == 400) {
                        return response.bodyToMono(String.class).defaultIfEmpty("{}")
                                .flatMap(body -> Mono.error(keyRejected(code(body))));
                    }
                    log.warn("API-key exchange answered {}", status.value());
                    return response.releaseBody().then(Mono.error(unavailable()));
                })
                .timeout(properties.timeout())
                .onErrorMap(e -> !(e instanceof TokenRejectedException), e -> {
                    log.warn("API-key exchange failed: {}", e instanceof WebClientRequestException ? e.getMessage()
                            : e.toString());
                    return unavailable();
                });
    }

    private Exchanged parse(String body) {
        JsonNode node = json.readTree(body);
        String token = node.path("access_token").asString(null);
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("API-key exchange answered without access_token");
        }
        String apiKeyId = node.path("api_key_id").isMissingNode() ? null : node.path("api_key_id").asString(null);
        return new Exchanged(token, clock.instant().plusSeconds(node.path("expires_in").asLong(60)), apiKeyId,
                subject(token));
    }

    /**
     * The token's owner, read without verifying it (only to find the cached tokens of a user whose tokens are revoked:
     * the token is verified like any other before it is accepted); {@code null} when it cannot be read.
     */
    private static @Nullable String subject(String token) {
        try {
            return JWTParser.parse(token).getJWTClaimsSet().getSubject();
        } catch (ParseException e) {
            return null;
        }
    }

    private @Nullable String code(String body) {
        try {
            return json.readTree(body).path("code").asString(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static TokenRejectedException keyRejected(@Nullable Object code) {
        String stable = code instanceof String s && KEY_CODES.contains(s) ? s : "API_KEY_INVALID";
        String detail = switch (stable) {
            case "API_KEY_REVOKED" -> "The API key has been revoked";
            case "API_KEY_EXPIRED" -> "The API key has expired";
            default -> "The API key is invalid";
        };
        return new TokenRejectedException(HttpStatus.UNAUTHORIZED, stable, detail);
    }

    private static TokenRejectedException unavailable() {
        return new TokenRejectedException(HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE,
                "API keys cannot be checked right now, please retry later");
    }

    void evictKeyId(String apiKeyId) {
        cache.synchronous().asMap().values().removeIf(e -> apiKeyId.equals(e.apiKeyId()));
    }

    void evictSubject(String subject) {
        cache.synchronous().asMap().values().removeIf(e -> subject.equals(e.subject()));
    }
}
