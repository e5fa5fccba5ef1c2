package com.clinicwave.claims.sync;

import com.clinicwave.claims.claim.UpsertCounts;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Sync runs; the unique partial index on running runs makes {@link #tryStart} the coalescing point. */
@Repository
class SyncRunStore {

    private static final String COLUMNS = """
            id, connection_id, trigger, status, claims_created, claims_updated, claims_unchanged, error_code, error,
            started_at, finished_at
            """;

    private final JdbcClient jdbc;

    SyncRunStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Starts a run unless one is already running for the connection (then answers empty). */
    Optional<UUID> tryStart(UUID connectionId, String trigger, @Nullable String cursorFrom) {
        return jdbc.sql("""
                insert into sync_run (id, connection_id, trigger, status, cursor_from)
                values (:id, :connection, :trigger, 'running', :cursor)
                on conflict (connection_id) where status = 'running' do nothing
                returning id
                """)
                .param("id", UUID.randomUUID()).param("connection", connectionId).param("trigger", trigger)
                .param("cursor", cursorFrom)
                .query(UUID.class)
                .optional();
    }

    Optional<SyncRun> findRunning(UUID connectionId) {
        return jdbc.sql("select " + COLUMNS + " from sync_run where connection_id = :connection and status = 'running'")
                .param("connection", connectionId)
                .query(SyncRunStore::map)
                .optional();
    }

    Optional<SyncRun> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from sync_run where id = :id")
                .param("id", id)
                .query(SyncRunStore::map)
                .optional();
    }

    /** A running run whose instance stopped sending heartbeats (crashed) is failed, so it no longer blocks syncs. */
    int failAbandoned(UUID connectionId, Duration staleAfter) {
        return jdbc.sql("""
                update sync_run set status = 'failed', error_code = 'ABANDONED',
                    error = 'The sync stopped reporting progress', finished_at = now()
                where connection_id = :connection and status = 'running'
                  and heartbeat_at < now() - make_interval(secs => cast(:secs as double precision))
                """)
                .param("connection", connectionId).param("secs", (double) staleAfter.toSeconds())
                .update();
    }

    void heartbeat(Collection<UUID> ids) {
        if (!ids.isEmpty()) {
            jdbc.sql("update sync_run set heartbeat_at = now() where status = 'running' and id in (:ids)")
                    .param("ids", ids)
                    .update();
        }
    }

    void progress(UUID id, UpsertCounts counts) {
        jdbc.sql("""
                update sync_run set claims_created = :created, claims_updated = :updated,
                    claims_unchanged = :unchanged, heartbeat_at = now()
                where id = :id
                """)
                .param("id", id).param("created", counts.created()).param("updated", counts.updated())
                .param("unchanged", counts.unchanged())
                .update();
    }

    void finish(UUID id, String status, UpsertCounts counts, @Nullable String cursorTo, @Nullable String errorCode,
            @Nullable String error, java.time.Instant finishedAt) {
        jdbc.sql("""
                update sync_run set status = :status, claims_created = :created, claims_updated = :updated,
                    claims_unchanged = :unchanged, cursor_to = :cursor, error_code = :code, error = :error,
                    finished_at = :finished, heartbeat_at = now()
                where id = :id
                """)
                .param("id", id).param("status", status).param("created", counts.created())
                .param("updated", counts.updated()).param("unchanged", counts.unchanged())
                .param("cursor", cursorTo).param("code", errorCode)
                .param("error", error == null || error.length() <= 1000 ? error : error.substring(0, 1000))
                .param("finished", Timestamp.from(finishedAt))
                .update();
    }

    private static SyncRun map(ResultSet rs, int row) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new SyncRun(rs.getObject("id", UUID.class), rs.getObject("connection_id", UUID.class),
                rs.getString("trigger"), rs.getString("status"), rs.getInt("claims_created"),
                rs.getInt("claims_updated"), rs.getInt("claims_unchanged"), rs.getString("error_code"),
                rs.getString("error"), rs.getTimestamp("started_at").toInstant(),
                finished == null ? null : finished.toInstant());
    }
}
