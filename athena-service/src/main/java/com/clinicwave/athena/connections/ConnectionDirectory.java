package com.clinicwave.athena.connections;

import com.clinicwave.athena.config.AthenaProperties;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Who owns a connection and its status, asked of provider-connection-service and reused briefly (Redis). */
@Component
public class ConnectionDirectory {

    static final String KEY_PREFIX = "athena:connection:";

    private static final Logger log = LoggerFactory.getLogger(ConnectionDirectory.class);

    private final ConnectionsClient connections;
    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final Duration ttl;

    ConnectionDirectory(ConnectionsClient connections, StringRedisTemplate redis, JsonMapper json,
            AthenaProperties properties) {
        this.connections = connections;
        this.redis = redis;
        this.json = json;
        this.ttl = properties.connectionInfoTtl();
    }

    public ConnectionInfo find(String connectionId) {
        ConnectionInfo cached = read(connectionId);
        if (cached != null) {
            return cached;
        }
        ConnectionInfo info = connections.info(connectionId);
        try {
            redis.opsForValue().set(KEY_PREFIX + connectionId, json.writeValueAsString(info), ttl);
        } catch (DataAccessException | JacksonException e) {
            log.warn("Could not cache connection {}: {}", connectionId, e.getClass().getSimpleName());
        }
        return info;
    }

    /** Forgets what is known of the connection (its status changed). */
    public void evict(String connectionId) {
        try {
            redis.delete(KEY_PREFIX + connectionId);
        } catch (DataAccessException e) {
            log.warn("Could not evict connection {}: {}", connectionId, e.getClass().getSimpleName());
        }
    }

    private @Nullable ConnectionInfo read(String connectionId) {
        try {
            String value = redis.opsForValue().get(KEY_PREFIX + connectionId);
            return value == null ? null : json.readValue(value, ConnectionInfo.class);
        } catch (DataAccessException | JacksonException e) {
            log.warn("Connection cache unreadable for {}: {}", connectionId, e.getClass().getSimpleName());
            return null;
        }
    }
}
