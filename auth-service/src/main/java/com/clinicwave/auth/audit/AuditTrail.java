package com.clinicwave.auth.audit;

import com.clinicwave.auth.audit.AuditLog.Entry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reading and verifying a tenant's audit trail; every query is scoped by the tenant id. */
@Component
public class AuditTrail {

    /** Filters of a listing or export (each optional): exact actor, exact action (event type), time range [from, to). */
    public record Filter(@Nullable String actor, @Nullable String action, @Nullable Instant from, @Nullable Instant to) {
    }

    /** Where verification found the chain broken: the row (or the missing position) and why. */
    public record Break(@Nullable Long id, long chainSeq, String reason) {
    }

    /** Outcome of verifying a tenant's chain; {@code headHash}: keep it outside the database to detect truncation. */
    public record Verification(boolean valid, long rowsChecked, @Nullable Break firstBroken, @Nullable String headHash,
            @Nullable Long headSeq) {
    }

    private static final String COLUMNS = "id, chain_seq, occurred_at, tenant_id, user_id, actor, event_type, ip, detail, "
            + "prev_hash, row_hash";
    private static final String FILTER = """
             where tenant_id = :tenant
               and (:actor = '' or actor = :actor) and (:action = '' or event_type = :action)
               and occurred_at >= :from and occurred_at < :to
            """;

    private final JdbcClient jdbc;

    AuditTrail(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A row as stored, with its hash. */
    public record Row(Entry entry, @Nullable String rowHash) {
    }

    public List<Row> list(UUID tenantId, Filter filter, int page, int size) {
        return bind(jdbc.sql("select " + COLUMNS + " from audit_event" + FILTER + " order by id desc limit :size offset :offset"),
                tenantId, filter).param("size", size).param("offset", (long) page * size).query(AuditTrail::map).list();
    }

    public long count(UUID tenantId, Filter filter) {
        return bind(jdbc.sql("select count(*) from audit_event" + FILTER), tenantId, filter).query(Long.class).single();
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, UUID tenantId, Filter filter) {
        return spec.param("tenant", tenantId).param("actor", filter.actor() == null ? "" : filter.actor())
                .param("action", filter.action() == null ? "" : filter.action())
                .param("from", Timestamp.from(filter.from() == null ? Instant.EPOCH : filter.from()))
                .param("to", Timestamp.from(filter.to() == null ? Instant.parse("9999-01-01T00:00:00Z") : filter.to()));
    }

    /**
     * Walks the tenant's chain in order: each row must be at the next position, name the previous row's hash, and
     * hash to its stored {@code row_hash}. The first row of the chain (position 1, or the oldest kept after pruning)
     * is the anchor: its {@code prev_hash} is taken as stored. Answers the first row where that fails.
     */
    public Verification verify(UUID tenantId) {
        AtomicReference<Break> broken = new AtomicReference<>();
        AtomicReference<String> previous = new AtomicReference<>();
        AtomicReference<Long> expectedSeq = new AtomicReference<>();
        long[] checked = {0};
        jdbc.sql("select " + COLUMNS + " from audit_event where coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid) = ? "
                + "order by chain_seq nulls first, id").param(tenantId).query(rs -> {
                    if (broken.get() != null) {
                        return;
                    }
                    Row row = map(rs, 0);
                    Entry e = row.entry();
                    checked[0]++;
                    if (rs.getObject(2) == null || row.rowHash() == null) {
                        broken.set(new Break(e.id(), e.chainSeq(), "row not chained"));
                    } else if (expectedSeq.get() != null && e.chainSeq() != expectedSeq.get()) {
                        broken.set(new Break(e.id(), e.chainSeq(), e.chainSeq() > expectedSeq.get()
                                ? "row(s) missing before this one (expected position " + expectedSeq.get() + ")"
                                : "position repeated"));
                    } else if (expectedSeq.get() != null && !Objects.equals(e.prevHash(), previous.get())) {
                        broken.set(new Break(e.id(), e.chainSeq(), "previous hash does not match the previous row"));
                    } else if (!AuditLog.hash(e).equals(row.rowHash())) {
                        broken.set(new Break(e.id(), e.chainSeq(), "content does not match its hash"));
                    }
                    previous.set(row.rowHash());
                    expectedSeq.set(e.chainSeq() + 1);
                });
        Break first = broken.get();
        return new Verification(first == null, checked[0], first, first == null ? previous.get() : null,
                first == null && expectedSeq.get() != null ? expectedSeq.get() - 1 : null);
    }

    private static Row map(ResultSet rs, int row) throws SQLException {
        return new Row(new Entry(rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant(),
                rs.getObject(4, UUID.class), rs.getObject(5, UUID.class), rs.getString(6), rs.getString(7),
                rs.getString(8), rs.getString(9), rs.getString(10)), rs.getString(11));
    }
}
