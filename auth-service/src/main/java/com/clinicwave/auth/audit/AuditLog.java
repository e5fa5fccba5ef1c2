package com.clinicwave.auth.audit;

import com.clinicwave.platform.crypto.Hashes;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Security audit trail (logins, lockouts, revocations, administration) in the {@code audit_event} table, hash-chained
 * per tenant (issue 16): under a per-chain advisory lock, a row gets the next {@code chain_seq} of its tenant, the
 * previous row's {@code row_hash} as {@code prev_hash}, and {@code row_hash} = SHA-256 of its content and
 * {@code prev_hash} ({@link #hash}). Changing, inserting or deleting a row breaks the chain at that row
 * ({@link AuditTrail#verify}).
 */
@Component
public class AuditLog {

    /** The chain of rows that belong to no tenant (e.g. a failed login naming an unknown tenant). */
    public static final UUID NO_TENANT = new UUID(0, 0);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    public AuditLog(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    public void record(String type, @Nullable UUID tenantId, @Nullable UUID userId, @Nullable String actor,
            @Nullable String ip, @Nullable String detail) {
        String trimmed = detail == null || detail.length() < 1000 ? detail : detail.substring(0, 1000);
        // Microseconds: what PostgreSQL stores, so the hash computed here is the one verify recomputes.
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        tx.executeWithoutResult(s -> append(new Entry(0, 0, at, tenantId, userId, actor, type, ip, trimmed, null)));
    }

    /** Appends an entry to its tenant's chain (in the caller's transaction); answers its id. */
    long append(Entry entry) {
        UUID chain = entry.tenantId() == null ? NO_TENANT : entry.tenantId();
        jdbc.sql("select pg_advisory_xact_lock(?)").param(lockKey(chain)).query((rs, i) -> 1).list();
        record Head(long seq, String hash) {
        }
        record HeadAndId(Head head, long id) {
        }
        // The chain's head and the new row's id in one round trip (after the lock: the head is read under it).
        HeadAndId next = jdbc.sql("""
                select nextval(pg_get_serial_sequence('audit_event', 'id')), h.chain_seq, h.row_hash
                from (select 1) one left join lateral (
                    select chain_seq, row_hash from audit_event
                    where coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid) = ? and chain_seq is not null
                    order by chain_seq desc limit 1) h on true
                """).param(chain).query((rs, i) -> new HeadAndId(new Head(rs.getLong(2), rs.getString(3)),
                        rs.getLong(1))).single();
        Head head = next.head();
        long id = next.id();
        Entry chained = new Entry(id, head.seq() + 1, entry.occurredAt(), entry.tenantId(), entry.userId(),
                entry.actor(), entry.type(), entry.ip(), entry.detail(), head.hash());
        jdbc.sql("""
                insert into audit_event (id, occurred_at, tenant_id, user_id, actor, event_type, ip, detail, chain_seq,
                                         prev_hash, row_hash)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).params(id, Timestamp.from(entry.occurredAt()), entry.tenantId(), entry.userId(), entry.actor(),
                entry.type(), entry.ip(), entry.detail(), chained.chainSeq(), head.hash(), hash(chained)).update();
        return id;
    }

    /** One audit row as hashed. */
    public record Entry(long id, long chainSeq, Instant occurredAt, @Nullable UUID tenantId, @Nullable UUID userId,
            @Nullable String actor, String type, @Nullable String ip, @Nullable String detail,
            @Nullable String prevHash) {
    }

    /**
     * SHA-256 (hex) of the row's content and the previous row's hash: every field, in a fixed order, each prefixed by
     * its length (so no two different rows share an encoding; null is length -1).
     */
    public static String hash(Entry e) {
        StringBuilder canonical = new StringBuilder("v1");
        for (String field : new String[] {Long.toString(e.id()), Long.toString(e.chainSeq()),
                Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, e.occurredAt())),
                e.tenantId() == null ? null : e.tenantId().toString(), e.userId() == null ? null : e.userId().toString(),
                e.actor(), e.type(), e.ip(), e.detail(), e.prevHash()}) {
            canonical.append('|').append(field == null ? -1 : field.length()).append(':').append(field == null ? "" : field);
        }
        return Hashes.sha256Hex(canonical.toString());
    }

    private static long lockKey(UUID chain) {
        // A fixed namespace in the high bits keeps these locks apart from any other advisory lock of the database.
        return 0x6175646974L << 24 ^ chain.getMostSignificantBits() ^ chain.getLeastSignificantBits();
    }
}
