package com.clinicwave.auth.audit;

import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * At start: audit rows written before the hash chain existed (Flyway V21) are chained, oldest first, each tenant's
 * after its existing chain. Rewrites nothing already chained. Idempotent, safe with several replicas (the same
 * per-chain advisory lock as every append).
 */
@Component
@Order(-10)
class AuditChainBackfill implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AuditChainBackfill.class);

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    AuditChainBackfill(JdbcClient jdbc, AuditLog audit, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.tx = tx;
    }

    @Override
    public void run(ApplicationArguments args) {
        List<Long> unchained = jdbc.sql("select id from audit_event where row_hash is null order by id limit 100000")
                .query(Long.class).list();
        for (Long id : unchained) {
            tx.executeWithoutResult(s -> jdbc.sql("""
                    select occurred_at, tenant_id, user_id, actor, event_type, ip, detail from audit_event
                    where id = ? and row_hash is null for update
                    """).param(id).query(rs -> {
                        AuditLog.Entry old = new AuditLog.Entry(0, 0, rs.getTimestamp(1).toInstant(),
                                rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getString(7), null);
                        // Re-appended at the end of its chain (new id), then the unchained original removed.
                        audit.append(old);
                        jdbc.sql("delete from audit_event where id = ?").param(id).update();
                    }));
        }
        if (!unchained.isEmpty()) {
            log.info("Chained {} audit rows written before the hash chain", unchained.size());
        }
    }

}
