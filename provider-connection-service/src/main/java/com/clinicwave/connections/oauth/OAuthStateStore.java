package com.clinicwave.connections.oauth;

import java.time.Duration;
import java.util.Optional;
import com.clinicwave.platform.crypto.Hashes;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * OAuth state in Redis: keyed by the SHA-256 of the state (a leaked Redis dump gives no usable state), expiring
 * with its TTL, and single-use: {@link #consume} reads and deletes atomically (GETDEL), so a replay finds nothing;
 * {@link #peek} reads without consuming (the anonymous callback, which completes nothing).
 */
@Component
class OAuthStateStore {

    static final String PREFIX = "connections:oauth-state:";
    private static final Logger log = LoggerFactory.getLogger(OAuthStateStore.class);

    private final StringRedisTemplate redis;
    private final JsonMapper json;

    OAuthStateStore(StringRedisTemplate redis, JsonMapper json) {
        this.redis = redis;
        this.json = json;
    }

    void save(String state, OAuthState value, Duration ttl) {
        try {
            redis.opsForValue().set(key(state), json.writeValueAsString(value), ttl);
        } catch (DataAccessException e) {
            throw unavailable(e);
        }
    }

    Optional<OAuthState> consume(String state) {
        String value;
        try {
            value = redis.opsForValue().getAndDelete(key(state));
        } catch (DataAccessException e) {
            throw unavailable(e);
        }
        return value == null ? Optional.empty() : Optional.of(json.readValue(value, OAuthState.class));
    }

    /** Reads the state without using it up: the anonymous callback only looks where to send the browser. */
    Optional<OAuthState> peek(String state) {
        String value;
        try {
            value = redis.opsForValue().get(key(state));
        } catch (DataAccessException e) {
            throw unavailable(e);
        }
        return value == null ? Optional.empty() : Optional.of(json.readValue(value, OAuthState.class));
    }

    private static ApiException unavailable(DataAccessException e) {
        log.warn("OAuth state store unavailable: {}", e.getMessage());
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE,
                "Connecting accounts is unavailable right now; try again later");
    }

    static String key(String state) {
        return PREFIX + sha256(state);
    }

    static String sha256(String value) {
        return Hashes.sha256Hex(value);
    }
}
