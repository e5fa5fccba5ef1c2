package com.clinicwave.gateway.revocation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The deny-list of revoked token ids, sessions and API keys, each until the moment its tokens expire anyway. Held in
 * memory (checked on every request) and in Redis (keys with a TTL), from which a starting replica loads it before it
 * serves.
 */
@Component
public class RevocationList implements InitializingBean {

    /** What a revocation names. */
    public enum Kind {
        JTI("jti"), SID("sid"), API_KEY("key");

        final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(RevocationList.class);

    private final Map<String, Instant> denied = new ConcurrentHashMap<>();
    private final ReactiveStringRedisTemplate redis;
    private final RevocationProperties properties;
    private final Clock clock;
    private final java.util.List<Consumer<String>> apiKeyListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    RevocationList(ReactiveStringRedisTemplate redis, RevocationProperties properties, Clock clock,
            MeterRegistry meters) {
        this.redis = redis;
        this.properties = properties;
        this.clock = clock;
        Gauge.builder("gateway.revocations.denied", denied, Map::size)
                .description("Revoked tokens, sessions and API keys currently refused")
                .register(meters);
    }

    /** Loads the live deny-list from Redis: runs while the context starts, so before the server accepts requests. */
    @Override
    public void afterPropertiesSet() {
        Long loaded = redis.scan(ScanOptions.scanOptions().match(properties.redisKeyPrefix() + "*").count(500).build())
                .flatMap(key -> redis.getExpire(key).map(ttl -> Map.entry(key, ttl)), 16)
                .filter(entry -> !entry.getValue().isNegative() && !entry.getValue().isZero())
                .doOnNext(entry -> denied.put(entry.getKey().substring(properties.redisKeyPrefix().length()),
                        clock.instant().plus(entry.getValue())))
                .count()
                // Redis may still be starting (or the machine busy): retry within the start-up budget, then fail.
                .retryWhen(reactor.util.retry.Retry.backoff(Long.MAX_VALUE, java.time.Duration.ofMillis(250))
                        .maxBackoff(java.time.Duration.ofSeconds(2)))
                .timeout(properties.startupLoadTimeout())
                .block();
        log.info("Loaded {} live revocations from Redis", loaded);
    }

    public boolean isRevoked(@Nullable String jti, @Nullable String sid, @Nullable String apiKeyId) {
        if (denied.isEmpty()) {
            return false;
        }
        return denied(Kind.JTI, jti) || denied(Kind.SID, sid) || denied(Kind.API_KEY, apiKeyId);
    }

    private boolean denied(Kind kind, @Nullable String id) {
        if (id == null) {
            return false;
        }
        Instant until = denied.get(kind.prefix + ":" + id);
        return until != null && clock.instant().isBefore(until);
    }

    /** Refuses the id from now until {@code until}, here at once and, through Redis, for replicas that start later. */
    public Mono<Void> revoke(Kind kind, String id, Instant until) {
        Duration ttl = Duration.between(clock.instant(), until);
        if (ttl.isNegative() || ttl.isZero()) {
            return Mono.empty();
        }
        String entry = kind.prefix + ":" + id;
        denied.merge(entry, until, (a, b) -> a.isAfter(b) ? a : b);
        if (kind == Kind.API_KEY) {
            apiKeyListeners.forEach(listener -> listener.accept(id));
        }
        return redis.opsForValue().set(properties.redisKeyPrefix() + entry, until.toString(), ttl).then();
    }

    /**
     * Refuses a session, token or API key named as auth-service names it in Redis ({@code sid:<id>}, {@code jti:<id>}
     * or {@code key:<api key id>}) until {@code until}, in memory only: auth-service's set is the shared copy of these.
     * A key seen for the first time also drops its cached exchanged token.
     */
    public void denyLocally(String member, Instant until) {
        if (!(member.startsWith("sid:") || member.startsWith("jti:") || member.startsWith("key:"))
                || member.length() <= 4 || !clock.instant().isBefore(until)) {
            return;
        }
        Instant before = denied.get(member);
        denied.merge(member, until, (a, b) -> a.isAfter(b) ? a : b);
        if (before == null && member.startsWith("key:")) {
            String id = member.substring(4);
            apiKeyListeners.forEach(listener -> listener.accept(id));
        }
    }

    /** Called with the id of every revoked API key, e.g. to drop its cached exchanged token. */
    public void onApiKeyRevoked(Consumer<String> listener) {
        apiKeyListeners.add(listener);
    }

    @Scheduled(fixedDelay = 60_000)
    void purgeExpired() {
        Instant now = clock.instant();
        denied.values().removeIf(now::isAfter);
    }

    int size() {
        return denied.size();
    }

    Flux<String> redisKeys() {
        return redis.scan(ScanOptions.scanOptions().match(properties.redisKeyPrefix() + "*").build());
    }
}
