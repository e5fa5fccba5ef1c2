package com.clinicwave.auth.session;

import com.clinicwave.auth.config.AuthProperties;
import com.clinicwave.auth.config.SecretHashEncoder;
import com.clinicwave.auth.events.AuthEvents;
import com.clinicwave.auth.token.RevokedTokens;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * First-party sessions = refresh-token families, in Redis. A refresh token is opaque (256 random bits), stored
 * only as its SHA-256; every use rotates it. A rotated token presented again is a replay: the whole family is
 * revoked. A session dies at its absolute expiry whatever the rotations; its Redis keys are kept a day longer
 * ({@link #EXPIRED_MEMORY}) so that a refresh token of an expired session is told apart from an unknown one
 * ({@link Rotation.Expired}, answered {@code SESSION_EXPIRED}).
 */
@Component
public class Sessions {

    /** A live session as its owner sees it. */
    public record Session(String id, String userId, String tenantId, Instant createdAt, Instant lastUsedAt,
            Instant expiresAt, @Nullable String ip, @Nullable String userAgent) {
    }

    /** A new session and its first refresh token (shown once). */
    public record Opened(Session session, String refreshToken) {
    }

    /** Outcome of presenting a refresh token. */
    public sealed interface Rotation {
        /** The token was current: here is its successor. */
        record Rotated(Session session, String refreshToken) implements Rotation {
        }

        /** The token was already rotated (a replay): the family has been revoked. */
        record Reused(String sid) implements Rotation {
        }

        /** The session was revoked (logout, admin, replay). */
        record Revoked(String sid) implements Rotation {
        }

        /** The session reached its absolute lifetime (the token was valid until then). */
        record Expired(String sid) implements Rotation {
        }

        /** Unknown token (or one whose session expired more than {@link #EXPIRED_MEMORY} ago). */
        record Unknown() implements Rotation {
        }
    }

    /** How long an expired session's keys outlive it, to answer SESSION_EXPIRED rather than an unknown token. */
    public static final Duration EXPIRED_MEMORY = Duration.ofDays(1);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final RedisScript<List> ROTATE = RedisScript.of("""
            local sid = redis.call('GET', KEYS[1])
            if not sid then return {'unknown'} end
            local skey = 'auth:session:' .. sid
            local cur = redis.call('HGET', skey, 'current')
            if not cur then return {'revoked', sid} end
            if tonumber(redis.call('HGET', skey, 'expires_at')) <= tonumber(ARGV[3]) then return {'expired', sid} end
            if cur ~= ARGV[1] then return {'reuse', sid} end
            local ttl = redis.call('PTTL', skey)
            if ttl <= 0 then return {'unknown'} end
            redis.call('HSET', skey, 'current', ARGV[2], 'last_used_at', ARGV[3])
            redis.call('SET', 'auth:refresh:' .. ARGV[2], sid, 'PX', ttl)
            local result = {'ok', sid}
            for _, v in ipairs(redis.call('HGETALL', skey)) do table.insert(result, v) end
            return result
            """, List.class);

    /** KEYS: session hash, refresh key, user's session set; ARGV: sid, ttl ms, then field/value pairs. */
    private static final RedisScript<Long> OPEN = RedisScript.of("""
            redis.call('HSET', KEYS[1], unpack(ARGV, 3))
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
            redis.call('SADD', KEYS[3], ARGV[1])
            redis.call('PEXPIRE', KEYS[3], ARGV[2])
            return 1
            """, Long.class);

    private final StringRedisTemplate redis;
    private final AuthProperties properties;
    private final RevokedTokens revoked;
    private final AuthEvents events;
    private final Clock clock;

    Sessions(StringRedisTemplate redis, AuthProperties properties, RevokedTokens revoked, AuthEvents events,
            Clock clock) {
        this.redis = redis;
        this.properties = properties;
        this.revoked = revoked;
        this.events = events;
        this.clock = clock;
    }

    public Opened open(UUID userId, UUID tenantId, @Nullable String ip, @Nullable String userAgent) {
        String sid = UUID.randomUUID().toString();
        String token = newToken();
        Instant now = clock.instant();
        Instant expires = now.plus(properties.refreshTokenAbsoluteLifetime());
        Duration ttl = properties.refreshTokenAbsoluteLifetime().plus(EXPIRED_MEMORY);
        String hash = SecretHashEncoder.sha256(token);
        Map<String, String> fields = new java.util.HashMap<>(Map.of("user_id", userId.toString(), "tenant_id", tenantId.toString(),
                "created_at", Long.toString(now.getEpochSecond()), "last_used_at", Long.toString(now.getEpochSecond()),
                "expires_at", Long.toString(expires.getEpochSecond()), "current", hash));
        if (ip != null) {
            fields.put("ip", ip);
        }
        if (userAgent != null) {
            fields.put("user_agent", userAgent.length() > 200 ? userAgent.substring(0, 200) : userAgent);
        }
        // One round trip (the login profile: five writes and a read-back were most of a login's Redis time).
        List<String> args = new ArrayList<>(List.of(sid, Long.toString(ttl.toMillis())));
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        redis.execute(OPEN, List.of("auth:session:" + sid, "auth:refresh:" + hash, "auth:user-sessions:" + userId),
                args.toArray());
        return new Opened(new Session(sid, userId.toString(), tenantId.toString(), Instant.ofEpochSecond(now.getEpochSecond()),
                Instant.ofEpochSecond(now.getEpochSecond()), Instant.ofEpochSecond(expires.getEpochSecond()), ip,
                fields.get("user_agent")), token);
    }

    public Rotation rotate(String refreshToken) {
        if (refreshToken == null || refreshToken.length() < 20 || refreshToken.length() > 200) {
            return new Rotation.Unknown();
        }
        String next = newToken();
        List<?> result = redis.execute(ROTATE, List.of("auth:refresh:" + SecretHashEncoder.sha256(refreshToken)),
                SecretHashEncoder.sha256(refreshToken), SecretHashEncoder.sha256(next),
                Long.toString(clock.instant().getEpochSecond()));
        String outcome = result == null || result.isEmpty() ? "unknown" : String.valueOf(result.get(0));
        return switch (outcome) {
            case "ok" -> {
                // The script answers the rotated session's fields too (no second round trip).
                Map<Object, Object> fields = new java.util.HashMap<>();
                for (int i = 2; i + 1 < result.size(); i += 2) {
                    fields.put(String.valueOf(result.get(i)), String.valueOf(result.get(i + 1)));
                }
                yield session(String.valueOf(result.get(1)), fields).<Rotation>map(s -> new Rotation.Rotated(s, next))
                        .orElse(new Rotation.Unknown());
            }
            case "reuse" -> {
                String sid = String.valueOf(result.get(1));
                revoke(sid);
                yield new Rotation.Reused(sid);
            }
            case "revoked" -> new Rotation.Revoked(String.valueOf(result.get(1)));
            case "expired" -> new Rotation.Expired(String.valueOf(result.get(1)));
            default -> new Rotation.Unknown();
        };
    }

    public Optional<Session> find(String sid) {
        return session(sid, redis.opsForHash().entries("auth:session:" + sid));
    }

    private Optional<Session> session(String sid, Map<Object, Object> h) {
        if (h.isEmpty() || h.get("current") == null || !epoch(h.get("expires_at")).isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(new Session(sid, (String) h.get("user_id"), (String) h.get("tenant_id"),
                epoch(h.get("created_at")), epoch(h.get("last_used_at")), epoch(h.get("expires_at")),
                (String) h.get("ip"), (String) h.get("user_agent")));
    }

    public List<Session> listFor(UUID userId) {
        List<Session> result = new ArrayList<>();
        var members = redis.opsForSet().members("auth:user-sessions:" + userId);
        if (members == null) {
            return result;
        }
        for (String sid : members) {
            find(sid).ifPresentOrElse(result::add, () -> redis.opsForSet().remove("auth:user-sessions:" + userId, sid));
        }
        result.sort(Comparator.comparing(Session::createdAt).reversed());
        return result;
    }

    /** Revokes a session: its refresh family dies and its access tokens are denied until they expire. */
    public boolean revoke(String sid) {
        Optional<Session> session = find(sid);
        redis.delete("auth:session:" + sid);
        Instant accessTokensExpire = clock.instant().plus(properties.accessTokenTtl());
        revoked.revokeSession(sid, accessTokensExpire);
        session.ifPresent(s -> redis.opsForSet().remove("auth:user-sessions:" + s.userId(), sid));
        events.sessionRevoked(sid, session.map(Session::userId).orElse(null),
                session.map(Session::tenantId).orElse(null), accessTokensExpire);
        return session.isPresent();
    }

    public void revokeAllFor(UUID userId) {
        listFor(userId).forEach(s -> revoke(s.id()));
    }

    private static Instant epoch(Object value) {
        return value == null ? Instant.EPOCH : Instant.ofEpochSecond(Long.parseLong(value.toString()));
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "cwr_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
