package com.clinicwave.athena.connections;

import com.clinicwave.athena.config.AthenaProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Provider access tokens per connection, cached in Redis (shared by every instance) until shortly before they
 * expire: athenahealth allows few token requests a minute, so calls never each ask provider-connection-service.
 * Concurrent misses for one connection in this instance coalesce into one request. Entries are sealed
 * ({@link TokenSealer}): Redis never holds a provider token in clear.
 */
@Component
public class ProviderTokens {

    static final String KEY_PREFIX = "athena:provider-token:";

    private static final Logger log = LoggerFactory.getLogger(ProviderTokens.class);

    private final ConnectionsClient connections;
    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration skew;
    private final TokenSealer sealer;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    ProviderTokens(ConnectionsClient connections, StringRedisTemplate redis, JsonMapper json, Clock clock,
            AthenaProperties properties, TokenSealer sealer) {
        this.sealer = sealer;
        this.connections = connections;
        this.redis = redis;
        this.json = json;
        this.clock = clock;
        this.skew = properties.tokenRefreshSkew();
    }

    /** A usable token for the connection, from the cache when it is not about to expire. */
    public ConnectionToken get(String connectionId) {
        ConnectionToken cached = read(connectionId);
        if (cached != null) {
            return cached;
        }
        ReentrantLock lock = locks.computeIfAbsent(connectionId, id -> new ReentrantLock());
        lock.lock();
        try {
            cached = read(connectionId);
            return cached != null ? cached : store(connections.accessToken(connectionId, false));
        } finally {
            lock.unlock();
            locks.remove(connectionId, lock);
        }
    }

    /** A new token after athenahealth refused the cached one (REAUTH_REQUIRED when it cannot be refreshed). */
    public ConnectionToken refresh(String connectionId) {
        evict(connectionId);
        return store(connections.accessToken(connectionId, true));
    }

    public void evict(String connectionId) {
        try {
            redis.delete(KEY_PREFIX + connectionId);
        } catch (DataAccessException e) {
            log.warn("Could not evict the cached token of connection {}: {}", connectionId, e.getClass().getSimpleName());
        }
    }

    private @Nullable ConnectionToken read(String connectionId) {
        try {
            String sealed = redis.opsForValue().get(KEY_PREFIX + connectionId);
            String value = sealed == null ? null : sealer.open(sealed, connectionId);
            if (value == null) {
                return null;
            }
            ConnectionToken token = json.readValue(value, ConnectionToken.class);
            return fresh(token) ? token : null;
        } catch (DataAccessException | JacksonException e) {
            // The cache is an optimisation: without it every call asks provider-connection-service.
            log.warn("Token cache unreadable for connection {}: {}", connectionId, e.getClass().getSimpleName());
            return null;
        }
    }

    private ConnectionToken store(ConnectionToken token) {
        if (token.expiresAt() == null) {
            return token;
        }
        Duration ttl = Duration.between(clock.instant(), token.expiresAt()).minus(skew);
        if (ttl.isNegative() || ttl.isZero()) {
            return token;
        }
        try {
            redis.opsForValue().set(KEY_PREFIX + token.connectionId(),
                    sealer.seal(json.writeValueAsString(token), token.connectionId()), ttl);
        } catch (DataAccessException | JacksonException e) {
            log.warn("Could not cache the token of connection {}: {}", token.connectionId(),
                    e.getClass().getSimpleName());
        }
        return token;
    }

    private boolean fresh(ConnectionToken token) {
        Instant expiresAt = token.expiresAt();
        return expiresAt == null || clock.instant().plus(skew).isBefore(expiresAt);
    }
}
