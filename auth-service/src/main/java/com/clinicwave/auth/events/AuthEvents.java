package com.clinicwave.auth.events;

import com.clinicwave.platform.events.OutboxWriter;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Publishes auth-service's events (topic {@code auth.events}, shapes in docs/contracts.md) through the outbox. */
@Component
public class AuthEvents {

    public static final String TOPIC = "auth.events";

    /** {@code user.registered} data. */
    public record UserRegistered(String userId, String tenantId, String username) {
    }

    /** {@code user.locked} data. */
    public record UserLocked(String userId, String tenantId, Instant until) {
    }

    /** {@code token.revoked} data: one access token. */
    public record TokenRevoked(String jti, Instant expiresAt) {
    }

    /** {@code session.revoked} data: every access token carrying {@code sid}, until {@code expiresAt}. */
    public record SessionRevoked(String sid, @Nullable String userId, Instant expiresAt) {
    }

    /** {@code apikey.revoked} data. */
    public record ApiKeyRevoked(String apiKeyId, String userId, @Nullable Instant expiresAt) {
    }

    private final OutboxWriter outbox;
    private final com.clinicwave.auth.audit.AuditLog audit;
    private final org.springframework.jdbc.core.simple.JdbcClient jdbc;

    public AuthEvents(OutboxWriter outbox, com.clinicwave.auth.audit.AuditLog audit,
            org.springframework.jdbc.core.simple.JdbcClient jdbc) {
        this.outbox = outbox;
        this.audit = audit;
        this.jdbc = jdbc;
    }

    /**
     * Issue 16: every revocation published here is also in the tenant's audit trail (the user's tenant when the
     * caller did not name it; the no-tenant chain for a service's token).
     */
    private void audited(String type, @Nullable String tenantId, @Nullable String userId, String detail) {
        UUID user = uuid(userId);
        UUID tenant = uuid(tenantId);
        if (tenant == null && user != null) {
            tenant = jdbc.sql("select tenant_id from app_user where id = ?").param(user).query(UUID.class).optional()
                    .orElse(null);
        }
        audit.record(type, tenant, user, null, null, detail);
    }

    private static @Nullable UUID uuid(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }

    @Transactional
    public void userRegistered(UUID userId, UUID tenantId, String username) {
        outbox.append(TOPIC, "user.registered", userId.toString(), tenantId.toString(),
                new UserRegistered(userId.toString(), tenantId.toString(), username));
    }

    @Transactional
    public void userLocked(UUID userId, UUID tenantId, Instant until) {
        outbox.append(TOPIC, "user.locked", userId.toString(), tenantId.toString(),
                new UserLocked(userId.toString(), tenantId.toString(), until));
    }

    @Transactional
    public void tokenRevoked(String jti, @Nullable String tenantId, Instant expiresAt) {
        outbox.append(TOPIC, "token.revoked", jti, tenantId, new TokenRevoked(jti, expiresAt));
        audited("token.revoked", tenantId, null, "jti=" + jti);
    }

    @Transactional
    public void sessionRevoked(String sid, @Nullable String userId, @Nullable String tenantId, Instant expiresAt) {
        outbox.append(TOPIC, "session.revoked", sid, tenantId, new SessionRevoked(sid, userId, expiresAt));
        audited("session.revoked", tenantId, userId, "sid=" + sid);
    }

    @Transactional
    public void apiKeyRevoked(UUID apiKeyId, UUID userId, UUID tenantId, @Nullable Instant expiresAt) {
        outbox.append(TOPIC, "apikey.revoked", apiKeyId.toString(), tenantId.toString(),
                new ApiKeyRevoked(apiKeyId.toString(), userId.toString(), expiresAt));
        audited("apikey.revoked", tenantId.toString(), userId.toString(), "api_key_id=" + apiKeyId);
    }
}
