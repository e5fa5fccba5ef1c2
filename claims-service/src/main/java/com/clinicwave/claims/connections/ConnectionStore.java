package com.clinicwave.claims.connections;

import com.clinicwave.platform.security.Caller;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The connections projection: written from connection.events, read for ownership checks and the schedule. */
@Repository
public class ConnectionStore {

    private static final String COLUMNS = """
            id, consumer_id, tenant_id, provider_key, provider_type, status, schedule_paused, next_sync_at,
            last_sync_at, sync_cursor
            """;

    private final JdbcClient jdbc;

    ConnectionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Connection> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from connection where id = :id")
                .param("id", id)
                .query(ConnectionStore::map)
                .optional();
    }

    /**
     * The connection when the caller is its consumer in the same tenant (deleted ones excluded); empty otherwise,
     * which callers answer with 404 so that nobody learns whether another user's connection exists.
     */
    public Optional<Connection> findOwned(UUID id, Caller caller) {
        return find(id).filter(c -> owns(c, caller));
    }

    public static boolean owns(Connection connection, Caller caller) {
        return !connection.deleted() && !caller.service() && connection.consumerId().equals(caller.subject())
                && (connection.tenantId() == null || connection.tenantId().equals(caller.tenantId()));
    }

    /** Records a new connection (or a re-created one), due for its initial sync now. */
    @Transactional
    public void upsertCreated(UUID id, String consumerId, @Nullable String tenantId, String providerKey,
            String providerType, String status) {
        jdbc.sql("""
                insert into connection (id, consumer_id, tenant_id, provider_key, provider_type, status,
                                        schedule_paused, next_sync_at)
                values (:id, :consumer, :tenant, :providerKey, :providerType, :status, false, now())
                on conflict (id) do update set consumer_id = excluded.consumer_id, tenant_id = excluded.tenant_id,
                    provider_key = excluded.provider_key, provider_type = excluded.provider_type,
                    status = excluded.status, schedule_paused = false, next_sync_at = now(), updated_at = now()
                where connection.status <> 'deleted'
                """)
                .param("id", id).param("consumer", consumerId).param("tenant", tenantId)
                .param("providerKey", providerKey).param("providerType", providerType).param("status", status)
                .update();
    }

    /** The provider needs the user to sign in again: stop scheduling until the connection is refreshed. */
    @Transactional
    public void markReauthRequired(UUID id, String consumerId, @Nullable String tenantId, String providerKey) {
        jdbc.sql("""
                insert into connection (id, consumer_id, tenant_id, provider_key, provider_type, status,
                                        schedule_paused)
                values (:id, :consumer, :tenant, :providerKey, 'unknown', 'reauth_required', true)
                on conflict (id) do update set status = 'reauth_required', schedule_paused = true, updated_at = now()
                where connection.status <> 'deleted'
                """)
                .param("id", id).param("consumer", consumerId).param("tenant", tenantId)
                .param("providerKey", providerKey)
                .update();
    }

    /** Fresh provider tokens: a connection paused for re-authentication is active and due again. */
    @Transactional
    public void markRefreshed(UUID id) {
        jdbc.sql("""
                update connection set status = 'active', schedule_paused = false, next_sync_at = now(),
                    consecutive_failures = 0, updated_at = now()
                where id = :id and status = 'reauth_required'
                """)
                .param("id", id)
                .update();
    }

    /**
     * Removes the connection's claims and leaves a tombstone, under the row lock a running sync's page writes also
     * take, so a sync still in flight cannot write claims back afterwards.
     */
    @Transactional
    public int markDeleted(UUID id, String consumerId, @Nullable String tenantId, String providerKey) {
        jdbc.sql("""
                insert into connection (id, consumer_id, tenant_id, provider_key, provider_type, status,
                                        schedule_paused)
                values (:id, :consumer, :tenant, :providerKey, 'unknown', 'deleted', true)
                on conflict (id) do nothing
                """)
                .param("id", id).param("consumer", consumerId).param("tenant", tenantId)
                .param("providerKey", providerKey)
                .update();
        jdbc.sql("select id from connection where id = :id for update").param("id", id).query(UUID.class).list();
        int removed = jdbc.sql("delete from claim where connection_id = :id").param("id", id).update();
        jdbc.sql("""
                update connection set status = 'deleted', schedule_paused = true, next_sync_at = null,
                    sync_cursor = null, updated_at = now()
                where id = :id
                """)
                .param("id", id)
                .update();
        return removed;
    }

    /**
     * Claims up to {@code limit} connections whose scheduled sync is due and pushes their next due time forward,
     * with {@code FOR UPDATE SKIP LOCKED}: instances running side by side never claim the same connection.
     */
    @Transactional
    public List<UUID> claimDue(int limit, Duration lease) {
        return jdbc.sql("""
                update connection set next_sync_at = now() + make_interval(secs => cast(:lease as double precision)),
                    updated_at = now()
                where id in (
                    select id from connection
                    where status = 'active' and schedule_paused = false and next_sync_at <= now()
                    order by next_sync_at
                    limit :limit
                    for update skip locked)
                returning id
                """)
                .param("lease", (double) lease.toSeconds())
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    /** After a successful run: the new cursor and the next scheduled time. */
    @Transactional
    public void markSynced(UUID id, @Nullable String cursor, Instant syncedAt, Duration interval) {
        jdbc.sql("""
                update connection set sync_cursor = :cursor, last_sync_at = cast(:at as timestamptz),
                    next_sync_at = case when status = 'active' and not schedule_paused
                                        then cast(:at as timestamptz) + make_interval(secs => cast(:interval as double precision))
                                        else next_sync_at end,
                    consecutive_failures = 0, updated_at = now()
                where id = :id and status <> 'deleted'
                """)
                .param("id", id).param("cursor", cursor).param("at", Timestamp.from(syncedAt))
                .param("interval", (double) interval.toSeconds())
                .update();
    }

    /** When the scheduler next syncs the connection; null when it will not (paused, not active, deleted). */
    public @Nullable Instant nextSyncAt(UUID id) {
        return jdbc.sql("""
                select case when status = 'active' and not schedule_paused then next_sync_at end
                from connection where id = :id
                """).param("id", id).query((rs, n) -> instant(rs.getTimestamp(1))).optional().orElse(null);
    }

    /** After a failed run: retry later (backing off on repeated failures), or pause when the user must act. */
    @Transactional
    public void markFailed(UUID id, boolean pause, Duration retryAfter) {
        jdbc.sql("""
                update connection set consecutive_failures = consecutive_failures + 1,
                    schedule_paused = schedule_paused or cast(:pause as boolean),
                    next_sync_at = now() + make_interval(secs => cast(:retry as double precision)
                        * least(power(2, consecutive_failures), 32)),
                    updated_at = now()
                where id = :id and status <> 'deleted'
                """)
                .param("id", id).param("pause", pause).param("retry", (double) retryAfter.toSeconds())
                .update();
    }

    /** Takes the share lock that {@link #markDeleted} waits for; answers false when the connection is gone. */
    public boolean lockForWrite(UUID id) {
        return jdbc.sql("select status from connection where id = :id for share")
                .param("id", id)
                .query(String.class)
                .optional()
                .filter(status -> !Connection.DELETED.equals(status))
                .isPresent();
    }

    private static Connection map(ResultSet rs, int row) throws SQLException {
        return new Connection(rs.getObject("id", UUID.class), rs.getString("consumer_id"), rs.getString("tenant_id"),
                rs.getString("provider_key"), rs.getString("provider_type"), rs.getString("status"),
                rs.getBoolean("schedule_paused"), instant(rs.getTimestamp("next_sync_at")),
                instant(rs.getTimestamp("last_sync_at")), rs.getString("sync_cursor"));
    }

    static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
