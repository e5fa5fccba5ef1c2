package com.clinicwave.auth.token;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Denylist of revoked sessions ({@code sid}) and access tokens ({@code jti}), kept until the access tokens concerned
 * expire; also a validator so auth-service itself refuses them (other services learn it from Kafka events).
 * <p>
 * The shared copy is one Redis sorted set ({@value #SET}: member {@code sid:<id>}, {@code jti:<id>},
 * {@code key:<api key id>} or {@code sub:<user id>:<not before epoch ms>}, score = expiry
 * in epoch milliseconds). Every replica checks a local copy, so introspection and the token validator cost no round
 * trip: a revocation is added locally before it is answered, written to the set and published on {@value #CHANNEL},
 * which every replica subscribes to (a revocation made on one replica is refused by the others within a Redis
 * round trip). Each replica also reloads the whole set at start and every {@link #RELOAD_INTERVAL}, which covers a
 * message missed while its subscription was reconnecting.
 */
@Component
public class RevokedTokens implements OAuth2TokenValidator<Jwt>, SmartLifecycle {

    static final String SET = "auth:revoked";
    static final String CHANNEL = "auth:revocations";
    static final Duration RELOAD_INTERVAL = Duration.ofSeconds(10);
    /** Entries outlive the tokens they deny by this much, for clock skew between replicas. */
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final OAuth2TokenValidatorResult REVOKED = OAuth2TokenValidatorResult.failure(
            new OAuth2Error("invalid_token", "The token has been revoked", null));
    private static final Logger log = LoggerFactory.getLogger(RevokedTokens.class);

    private final StringRedisTemplate redis;
    private final RedisConnectionFactory connections;
    private final Clock clock;
    /** Member ({@code sid:…}/{@code jti:…}) → expiry in epoch milliseconds. */
    private final Map<String, Long> denied = new ConcurrentHashMap<>();
    private volatile @Nullable RedisMessageListenerContainer subscription;
    private volatile @Nullable ScheduledExecutorService reloads;

    RevokedTokens(StringRedisTemplate redis, RedisConnectionFactory connections, Clock clock, MeterRegistry meters) {
        this.redis = redis;
        this.connections = connections;
        this.clock = clock;
        Gauge.builder("auth.revocations.denied", denied, Map::size)
                .description("Revoked sessions and access tokens this replica refuses until they expire")
                .register(meters);
    }

    public void revokeSession(String sid, Instant until) {
        deny("sid:" + sid, until);
    }

    public void revokeToken(String jti, Instant until) {
        deny("jti:" + jti, until);
    }

    /**
     * An API key's exchanged tokens ({@code api_key_id} claim), until they expire: member {@code key:<id>} in the
     * same set and channel, so the gateway refuses a revoked key without Kafka. This service needs no local check
     * (the exchange itself refuses a revoked key).
     */
    public void revokeApiKey(String apiKeyId, Instant until) {
        deny("key:" + apiKeyId, until);
    }

    /**
     * Every token of a user issued before {@code notBefore} (its {@code iat}, whole seconds), whatever it names — also
     * the tokens no session or authorization stands for, such as an API key's exchanged tokens — until {@code until}
     * (the longest a token lives): member {@code sub:<user id>:<not before epoch ms>}. The gateway refuses those tokens
     * and drops the exchanged tokens it cached for the user's API keys, so its next request is exchanged again and
     * gets the user's roles and state of now.
     */
    public void revokeSubject(String userId, Instant notBefore, Instant until) {
        deny("sub:" + userId + ":" + notBefore.toEpochMilli(), until);
    }

    /**
     * Inside a transaction, the revocation is published once it commits: a replica or gateway that acts on it (a
     * re-exchanged API key, a new sign-in) must read the roles, lock or key state it was made for, never the state
     * before; and a rolled-back change revokes nothing.
     */
    private void deny(String member, Instant until) {
        long expires = until.plus(GRACE).toEpochMilli();
        if (expires <= clock.millis()) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    publish(member, expires);
                }
            });
        } else {
            publish(member, expires);
        }
    }

    private void publish(String member, long expires) {
        denied.merge(member, expires, Math::max);
        redis.opsForZSet().add(SET, member, expires);
        redis.convertAndSend(CHANNEL, member + " " + expires);
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt jwt) {
        long now = clock.millis();
        String sid = jwt.getClaimAsString("sid");
        String jti = jwt.getId();
        return sid != null && isDenied("sid:" + sid, now) || jti != null && isDenied("jti:" + jti, now)
                ? REVOKED : OAuth2TokenValidatorResult.success();
    }

    private boolean isDenied(String member, long now) {
        Long expires = denied.get(member);
        return expires != null && expires > now;
    }

    private void onMessage(Message message, byte @Nullable [] pattern) {
        String body = new String(message.getBody(), StandardCharsets.UTF_8);
        int space = body.lastIndexOf(' ');
        try {
            if (space > 0) {
                denied.merge(body.substring(0, space), Long.parseLong(body.substring(space + 1)), Math::max);
            }
        } catch (NumberFormatException e) {
            log.warn("Ignoring an unreadable revocation message on {}", CHANNEL);
        }
    }

    /** Merges the shared set into the local copy and drops what has expired from both. */
    void reload() {
        long now = clock.millis();
        Set<TypedTuple<String>> live = redis.opsForZSet().rangeByScoreWithScores(SET, now, Double.POSITIVE_INFINITY);
        if (live != null) {
            for (TypedTuple<String> entry : live) {
                if (entry.getValue() != null && entry.getScore() != null) {
                    denied.merge(entry.getValue(), entry.getScore().longValue(), Math::max);
                }
            }
        }
        denied.values().removeIf(expires -> expires <= now);
        redis.opsForZSet().removeRangeByScore(SET, Double.NEGATIVE_INFINITY, now - GRACE.toMillis());
    }

    @Override
    public void start() {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connections);
        container.addMessageListener(this::onMessage, new ChannelTopic(CHANNEL));
        container.afterPropertiesSet();
        container.start();
        subscription = container;
        // Subscribed first, then loaded: nothing revoked in between is missed.
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                reload();
                break;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not load the revocation denylist from Redis", e);
                }
                log.warn("Loading the revocation denylist from Redis failed ({}); retrying", e.toString());
                sleep();
            }
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("revocation-reload").daemon().factory());
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                reload();
            } catch (RuntimeException e) {
                log.warn("Reloading the revocation denylist from Redis failed: {}", e.toString());
            }
        }, RELOAD_INTERVAL.toMillis(), RELOAD_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        reloads = scheduler;
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService scheduler = reloads;
        if (scheduler != null) {
            scheduler.shutdownNow();
            reloads = null;
        }
        RedisMessageListenerContainer container = subscription;
        if (container != null) {
            try {
                container.destroy();
            } catch (Exception e) {
                log.debug("Closing the revocation subscription: {}", e.toString());
            }
            subscription = null;
        }
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }

    /** Before the web server takes requests, after Redis is connected. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
}
