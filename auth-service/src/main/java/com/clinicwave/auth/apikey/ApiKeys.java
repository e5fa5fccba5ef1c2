package com.clinicwave.auth.apikey;

import com.clinicwave.auth.config.AuthProperties;
import com.clinicwave.auth.config.SecretHashEncoder;
import com.clinicwave.auth.events.AuthEvents;
import com.clinicwave.auth.token.RevokedTokens;
import com.clinicwave.auth.user.UserAccount;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API keys: {@code cwk_} + 256 random bits, shown once, stored as SHA-256 (a high-entropy secret needs no slow
 * hash), scoped to a subset of what the creating token holds, expiring, revocable, last use recorded.
 */
@Service
public class ApiKeys {

    public static final String PREFIX = "cwk_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    /** A stored key (never its secret). */
    public record ApiKey(UUID id, UUID userId, UUID tenantId, String name, String prefix, List<String> scopes,
            Instant createdAt, @Nullable Instant expiresAt, @Nullable Instant revokedAt, @Nullable Instant lastUsedAt) {
    }

    /** A freshly created key with its secret. */
    public record Created(ApiKey key, String secret) {
    }

    private final JdbcClient jdbc;
    private final AuthEvents events;
    private final RevokedTokens revoked;
    private final AuthProperties properties;
    private final Clock clock;

    ApiKeys(JdbcClient jdbc, AuthEvents events, RevokedTokens revoked, AuthProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.revoked = revoked;
        this.properties = properties;
        this.clock = clock;
    }

    @Transactional
    public Created create(UserAccount owner, Collection<String> heldPermissions, String name, List<String> scopes,
            @Nullable Integer expiresInDays) {
        if (scopes.isEmpty()) {
            throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED, "scopes: must not be empty");
        }
        if (!heldPermissions.containsAll(scopes)) {
            // Refused rather than trimmed: a caller never believes a key holds what it does not.
            throw new ApiException(HttpStatus.FORBIDDEN, ProblemCodes.INSUFFICIENT_PERMISSIONS,
                    "scopes: an API key can hold only permissions the token creating it holds");
        }
        if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > 365)) {
            throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED, "expires_in_days: between 1 and 365");
        }
        StringBuilder secret = new StringBuilder(PREFIX);
        for (int i = 0; i < 43; i++) {
            secret.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        String key = secret.toString();
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        Instant expires = now.plus(Duration.ofDays(expiresInDays == null ? 90 : expiresInDays));
        String prefix = key.substring(0, 12);
        List<String> sorted = scopes.stream().distinct().sorted().toList();
        jdbc.sql("""
                insert into api_key (id, user_id, tenant_id, name, prefix, key_hash, scopes, created_at, expires_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).params(id, owner.id(), owner.tenantId(), name, prefix, SecretHashEncoder.sha256(key),
                String.join(" ", sorted), Timestamp.from(now), Timestamp.from(expires)).update();
        return new Created(new ApiKey(id, owner.id(), owner.tenantId(), name, prefix, sorted, now, expires, null, null),
                key);
    }

    public List<ApiKey> list(UUID userId) {
        return jdbc.sql(SELECT + " where user_id = ? order by created_at desc").param(userId).query(ApiKeys::map).list();
    }

    @Transactional
    public void revoke(UUID userId, UUID keyId) {
        ApiKey key = jdbc.sql(SELECT + " where id = ? and user_id = ?").params(keyId, userId).query(ApiKeys::map)
                .optional().orElseThrow(() -> ApiException.notFound("API key"));
        if (key.revokedAt() == null) {
            jdbc.sql("update api_key set revoked_at = ? where id = ?").params(Timestamp.from(clock.instant()), keyId)
                    .update();
            events.apiKeyRevoked(key.id(), key.userId(), key.tenantId(), key.expiresAt());
            // Also over Redis (not only Kafka): the gateway drops the key's exchanged tokens within a round trip.
            revoked.revokeApiKey(key.id().toString(), clock.instant().plus(properties.apiKeyTokenTtl()));
        }
    }

    /** Validates a presented key; records its use. Throws API_KEY_INVALID / _REVOKED / _EXPIRED (401). */
    public ApiKey validate(String presented) {
        if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 100) {
            throw failure("API_KEY_INVALID", "The API key is invalid");
        }
        Optional<ApiKey> found = jdbc.sql(SELECT + " where key_hash = ?").param(SecretHashEncoder.sha256(presented))
                .query(ApiKeys::map).optional();
        ApiKey key = found.orElseThrow(() -> failure("API_KEY_INVALID", "The API key is invalid"));
        Instant now = clock.instant();
        if (key.revokedAt() != null) {
            throw failure("API_KEY_REVOKED", "The API key has been revoked");
        }
        if (key.expiresAt() != null && !key.expiresAt().isAfter(now)) {
            throw failure("API_KEY_EXPIRED", "The API key has expired");
        }
        jdbc.sql("update api_key set last_used_at = ? where id = ?").params(Timestamp.from(now), key.id()).update();
        return key;
    }

    private static ApiException failure(String code, String detail) {
        return new ApiException(HttpStatus.UNAUTHORIZED, code, detail);
    }

    private static final String SELECT = """
            select id, user_id, tenant_id, name, prefix, scopes, created_at, expires_at, revoked_at, last_used_at
            from api_key
            """;

    private static ApiKey map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new ApiKey(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getString(4), rs.getString(5), Arrays.asList(rs.getString(6).split(" ")), instant(rs.getTimestamp(7)),
                instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9)), instant(rs.getTimestamp(10)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
