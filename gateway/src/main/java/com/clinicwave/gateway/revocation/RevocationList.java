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
 * serves. Also each user whose tokens were all revoked at a moment (auth-service's {@code sub:<user id>:<not before
 * epoch ms>}: a role change, a lock, a password change, the tenant disabled): a token of that user issued before that
 * second is refused, until the longest-lived token issued then has expired.
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

    /** A user's tokens issued before {@code notBefore} are refused until {@code until}; {@code sequence}: see below. */
    private record Cut(Instant notBefore, Instant until, long sequence) {
    }

    /** User id → the latest cut of the user's tokens. */
    private final Map<String, Cut> cuts = new ConcurrentHashMap<>();
    /** Counts the cuts applied here, so an API-key exchange can tell whether its owner was cut while it was running. */
    private final java.util.concurrent.atomic.AtomicLong cutSequence = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.List<Consumer<String>> subjectListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    RevocationList(ReactiveStringRedisTemplate redis, RevocationProperties properties, Clock clock,
            MeterRegistry meters) {
        this.redis = redis;
        this.properties = properties;
        this.clock = clock;
        Gauge.builder("gateway.revocations.denied", this, list -> list.denied.size() + list.cuts.size())
                .description("Revoked tokens, sessions, API keys and users (tokens issued before) currently refused")
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

    /**
     * Whether every token of {@code subject} issued before a moment was revoked, and this one ({@code issuedAt}, whole
     * seconds like the {@code iat} claim; {@code null}: refused) was issued in an earlier second. A token issued in the
     * second of the change, before it, is left to its session's or API key's own revocation.
     */
    public boolean isCut(@Nullable String subject, @Nullable Instant issuedAt) {
        if (subject == null || cuts.isEmpty()) {
            return false;
        }
        Cut cut = cuts.get(subject);
        return cut != null && clock.instant().isBefore(cut.until())
                && (issuedAt == null || issuedAt.getEpochSecond() < cut.notBefore().getEpochSecond());
    }

    /** A mark to pass to {@link #cutSince} later: how many cuts were applied here until now. */
    public long cutMark() {
        return cutSequence.get();
    }

    /** Whether {@code subject}'s tokens were cut here after {@code mark} ({@link #cutMark}) was taken. */
    public boolean cutSince(@Nullable String subject, long mark) {
        Cut cut = subject == null ? null : cuts.get(subject);
        return cut != null && cut.sequence() > mark;
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
     * Refuses a session, token, API key or a user's earlier tokens named as auth-service names it in Redis
     * ({@code sid:<id>}, {@code jti:<id>}, {@code key:<api key id>} or {@code sub:<user id>:<not before epoch ms>})
     * until {@code until}, in memory only: auth-service's set is the shared copy of these. A key seen for the first
     * time also drops its cached exchanged token, and so does a user's new cut for that user's keys.
     */
    public void denyLocally(String member, Instant until) {
        if (member.startsWith("sub:")) {
            cut(member, until);
            return;
        }
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

    /**
     * {@code sub:<user id>:<not before epoch ms>}: the user's tokens issued before then are refused until
     * {@code until}; a later cut replaces an earlier one (the larger not-before and expiry win), and one that moves
     * the not-before tells the subject listeners (the API-key exchange drops the user's cached tokens).
     */
    private void cut(String member, Instant until) {
        int colon = member.lastIndexOf(':');
        Instant notBefore;
        try {
            notBefore = colon > 4 ? Instant.ofEpochMilli(Long.parseLong(member.substring(colon + 1))) : null;
        } catch (NumberFormatException e) {
            notBefore = null;
        }
        if (notBefore == null) {
            log.warn("Ignoring an unreadable user revocation");
            return;
        }
        if (!clock.instant().isBefore(until)) {
            return;
        }
        String subject = member.substring(4, colon);
        Instant from = notBefore;
        boolean[] moved = {false};
        cuts.compute(subject, (id, current) -> {
            if (current != null && !from.isAfter(current.notBefore())) {
                return until.isAfter(current.until()) ? new Cut(current.notBefore(), until, current.sequence())
                        : current;
            }
            moved[0] = true;
            Instant longest = current != null && current.until().isAfter(until) ? current.until() : until;
            return new Cut(from, longest, cutSequence.incrementAndGet());
        });
        if (moved[0]) {
            subjectListeners.forEach(listener -> listener.accept(subject));
        }
    }

    /** Called with the id of every user whose tokens were all revoked, e.g. to drop their cached exchanged tokens. */
    public void onSubjectRevoked(Consumer<String> listener) {
        subjectListeners.add(listener);
    }

    /** Called with the id of every revoked API key, e.g. to drop its cached exchanged token. */
    public void onApiKeyRevoked(Consumer<String> listener) {
        apiKeyListeners.add(listener);
    }

    @Scheduled(fixedDelay = 60_000)
    void purgeExpired() {
        Instant now = clock.instant();
        denied.values().removeIf(now::isAfter);
        cuts.values().removeIf(cut -> now.isAfter(cut.until()));
    }

    int size() {
        return denied.size() + cuts.size();
    }

    Flux<String> redisKeys() {
        return redis.scan(ScanOptions.scanOptions().match(properties.redisKeyPrefix() + "*").build());
    }
}
