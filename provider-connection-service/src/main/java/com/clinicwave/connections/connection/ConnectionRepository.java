package com.clinicwave.connections.connection;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Connection rows. Locking reads ({@code for update}) must run inside a transaction. */
@Repository
public class ConnectionRepository {

    private final JdbcClient jdbc;

    ConnectionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(Connection c) {
        jdbc.sql("""
                insert into connection (id, consumer_id, tenant_id, provider_key, provider_type, connection_name, status,
                    access_token_ciphertext, refresh_token_ciphertext, token_type, scope, token_expires_at, patient_id,
                    practice_id, terms_version, created_at, updated_at)
                values (:id, :consumerId, :tenantId, :providerKey, :providerType, :name, :status, :at, :rt,
                    :tokenType, :scope, :expiresAt, :patientId, :practiceId, :termsVersion, :createdAt, :createdAt)
                """)
                .param("id", c.id()).param("consumerId", c.consumerId()).param("tenantId", c.tenantId())
                .param("providerKey", c.providerKey()).param("providerType", c.providerType())
                .param("name", c.connectionName()).param("status", c.status())
                .param("at", c.accessTokenCiphertext()).param("rt", c.refreshTokenCiphertext())
                .param("tokenType", c.tokenType()).param("scope", c.scope())
                .param("expiresAt", ts(c.tokenExpiresAt())).param("patientId", c.patientId())
                .param("practiceId", c.practiceId()).param("termsVersion", c.termsVersion())
                .param("createdAt", ts(c.createdAt()))
                .update();
    }

    public Optional<Connection> findLive(UUID id) {
        return jdbc.sql("select * from connection where id = :id and deleted_at is null").param("id", id)
                .query(ConnectionRepository::map).optional();
    }

    /** Locks the row until the transaction ends: concurrent refreshers of one connection queue up here. */
    public Optional<Connection> lock(UUID id) {
        return jdbc.sql("select * from connection where id = :id and deleted_at is null for update").param("id", id)
                .query(ConnectionRepository::map).optional();
    }

    /** Locks the row if no one else holds it; another instance already refreshing it makes this empty. */
    public Optional<Connection> tryLockDue(UUID id, Instant threshold) {
        return jdbc.sql("""
                select * from connection where id = :id and status = 'active' and token_expires_at < :threshold
                    and refresh_token_ciphertext is not null for update skip locked
                """)
                .param("id", id).param("threshold", ts(threshold))
                .query(ConnectionRepository::map).optional();
    }

    public List<UUID> dueForRefresh(Instant threshold, int limit) {
        return jdbc.sql("""
                select id from connection where status = 'active' and token_expires_at < :threshold
                    and refresh_token_ciphertext is not null order by token_expires_at limit :limit
                """)
                .param("threshold", ts(threshold)).param("limit", limit)
                .query(UUID.class).list();
    }

    public List<Connection> findByConsumer(UUID consumerId) {
        return jdbc.sql("""
                select * from connection where consumer_id = :consumerId and deleted_at is null
                order by created_at
                """)
                .param("consumerId", consumerId).query(ConnectionRepository::map).list();
    }

    public void updateTokens(UUID id, byte[] accessToken, byte @Nullable [] refreshToken, String tokenType,
            @Nullable String scope, @Nullable Instant expiresAt, Instant refreshedAt) {
        jdbc.sql("""
                update connection set access_token_ciphertext = :at, refresh_token_ciphertext = :rt,
                    token_type = :tokenType, scope = coalesce(:scope, scope), token_expires_at = :expiresAt,
                    last_refreshed_at = :refreshedAt, status_reason = null, updated_at = :refreshedAt
                where id = :id
                """)
                .param("at", accessToken).param("rt", refreshToken).param("tokenType", tokenType)
                .param("scope", scope).param("expiresAt", ts(expiresAt)).param("refreshedAt", ts(refreshedAt))
                .param("id", id)
                .update();
    }

    /** The provider no longer honours the grant: the tokens are destroyed and the consumer must reconnect. */
    public void markReauthRequired(UUID id, String reason, Instant now) {
        jdbc.sql("""
                update connection set status = 'reauth_required', status_reason = :reason,
                    access_token_ciphertext = null, refresh_token_ciphertext = null, updated_at = :now
                where id = :id
                """)
                .param("reason", reason).param("now", ts(now)).param("id", id).update();
    }

    /** Deleted by its consumer: tokens destroyed, the row kept (without secrets) for the audit trail. */
    public void markRevoked(UUID id, Instant now) {
        jdbc.sql("""
                update connection set status = 'revoked', status_reason = 'deleted', access_token_ciphertext = null,
                    refresh_token_ciphertext = null, deleted_at = :now, updated_at = :now
                where id = :id
                """)
                .param("now", ts(now)).param("id", id).update();
    }

    public record Ciphertexts(UUID id, byte @Nullable [] accessToken, byte @Nullable [] refreshToken) {
    }

    public List<Ciphertexts> ciphertextsAfter(@Nullable UUID after, int limit) {
        return jdbc.sql("""
                select id, access_token_ciphertext, refresh_token_ciphertext from connection
                where (access_token_ciphertext is not null or refresh_token_ciphertext is not null)
                    and (cast(:after as uuid) is null or id > :after)
                order by id limit :limit
                """)
                .param("after", after).param("limit", limit)
                .query((rs, n) -> new Ciphertexts(rs.getObject(1, UUID.class), rs.getBytes(2), rs.getBytes(3)))
                .list();
    }

    /** Replaces ciphertexts only if they are still the ones read (a concurrent refresh wins). */
    public boolean replaceCiphertexts(Ciphertexts old, byte @Nullable [] accessToken, byte @Nullable [] refreshToken) {
        return jdbc.sql("""
                update connection set access_token_ciphertext = :at, refresh_token_ciphertext = :rt
                where id = :id and access_token_ciphertext is not distinct from :oldAt
                    and refresh_token_ciphertext is not distinct from :oldRt
                """)
                .param("at", accessToken).param("rt", refreshToken).param("id", old.id())
                .param("oldAt", old.accessToken()).param("oldRt", old.refreshToken())
                .update() == 1;
    }

    private static @Nullable Timestamp ts(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static Connection map(ResultSet rs, int row) throws SQLException {
        return new Connection(rs.getObject("id", UUID.class), rs.getObject("consumer_id", UUID.class),
                rs.getObject("tenant_id", UUID.class), rs.getString("provider_key"), rs.getString("provider_type"),
                rs.getString("connection_name"), rs.getString("status"), rs.getBytes("access_token_ciphertext"),
                rs.getBytes("refresh_token_ciphertext"), rs.getString("token_type"), rs.getString("scope"),
                instant(rs, "token_expires_at"), rs.getString("patient_id"), rs.getString("practice_id"),
                rs.getString("terms_version"), rs.getString("status_reason"), instant(rs, "last_refreshed_at"),
                instant(rs, "last_sync_at"), instant(rs, "next_sync_at"), instant(rs, "created_at"));
    }
}
