package com.clinicwave.gateway.revocation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.util.retry.Retry;

/**
 * The second revocation path, independent of Kafka: auth-service adds every revoked session ({@code sid}), access
 * token ({@code jti}) and API key ({@code key}: its exchanged tokens) to the Redis sorted set {@code auth:revoked} and
 * publishes it on the channel {@code auth:revocations} ({@code sid:<id> <expiry epoch ms>}) the moment it is revoked.
 * Every replica subscribes (a logout or a revoked API key is refused here within a Redis round trip, Kafka up or
 * down), loads the set before serving, and merges it again every {@code auth-set-reload-interval} to heal a message
 * missed while the subscription reconnected. Kafka ({@code token.revoked}, {@code session.revoked},
 * {@code apikey.revoked}) carries the same revocations as the first path.
 */
@Component
class AuthServiceRevocations implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AuthServiceRevocations.class);

    private final RevocationList revocations;
    private final RevocationProperties properties;
    private final ReactiveStringRedisTemplate redis;
    private final ReactiveRedisConnectionFactory connections;
    private final Clock clock;
    private volatile @Nullable ReactiveRedisMessageListenerContainer container;
    private volatile @Nullable Disposable subscription;

    AuthServiceRevocations(RevocationList revocations, RevocationProperties properties,
            ReactiveStringRedisTemplate redis, ReactiveRedisConnectionFactory connections, Clock clock) {
        this.revocations = revocations;
        this.properties = properties;
        this.redis = redis;
        this.connections = connections;
        this.clock = clock;
    }

    @Override
    public void start() {
        ReactiveRedisMessageListenerContainer listener = new ReactiveRedisMessageListenerContainer(connections);
        container = listener;
        // Subscribed first, then loaded: nothing revoked in between is missed.
        subscription = listener.receiveLater(ChannelTopic.of(properties.authChannel()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(250)).maxBackoff(Duration.ofSeconds(2)))
                .timeout(properties.startupLoadTimeout())
                .toFuture()
                .join()
                .doOnNext(message -> apply(message.getMessage()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(250)).maxBackoff(Duration.ofSeconds(5))
                        .doBeforeRetry(signal -> log.warn("Revocation channel lost ({}); resubscribing",
                                signal.failure().toString())))
                .subscribe();
        long loaded = load(properties.startupLoadTimeout());
        log.info("Subscribed to {} and loaded {} live revocations from {}", properties.authChannel(), loaded,
                properties.authSet());
    }

    void apply(String message) {
        int space = message.lastIndexOf(' ');
        try {
            if (space > 0) {
                revocations.denyLocally(message.substring(0, space),
                        Instant.ofEpochMilli(Long.parseLong(message.substring(space + 1))));
                return;
            }
        } catch (NumberFormatException e) {
            // Below.
        }
        log.warn("Ignoring an unreadable message on {}", properties.authChannel());
    }

    private long load(Duration timeout) {
        Long count = redis.opsForZSet()
                .rangeByScoreWithScores(properties.authSet(),
                        Range.closed((double) clock.millis(), Double.POSITIVE_INFINITY))
                .filter(entry -> entry.getValue() != null && entry.getScore() != null)
                .doOnNext(entry -> revocations.denyLocally(entry.getValue(),
                        Instant.ofEpochMilli(entry.getScore().longValue())))
                .count()
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(250)).maxBackoff(Duration.ofSeconds(2)))
                .timeout(timeout)
                .block();
        return count == null ? 0 : count;
    }

    @Scheduled(fixedDelayString = "${clinicwave.gateway.revocation.auth-set-reload-interval:10s}",
            initialDelayString = "${clinicwave.gateway.revocation.auth-set-reload-interval:10s}")
    void reload() {
        try {
            load(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.warn("Reloading {} from Redis failed: {}", properties.authSet(), e.toString());
        }
    }

    @Override
    public void stop() {
        Disposable current = subscription;
        if (current != null) {
            current.dispose();
            subscription = null;
        }
        ReactiveRedisMessageListenerContainer listener = container;
        if (listener != null) {
            listener.destroyLater().subscribe();
            container = null;
        }
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }

    /** Before the web server takes requests. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
}
