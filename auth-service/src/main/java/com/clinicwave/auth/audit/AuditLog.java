package com.clinicwave.auth.audit;

import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Security audit trail (logins, lockouts, revocations, administration) in the {@code audit_event} table. */
@Component
public class AuditLog {

    private final JdbcClient jdbc;

    public AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void record(String type, @Nullable UUID tenantId, @Nullable UUID userId, @Nullable String actor,
            @Nullable String ip, @Nullable String detail) {
        jdbc.sql("""
                insert into audit_event (tenant_id, user_id, actor, event_type, ip, detail) values (?, ?, ?, ?, ?, ?)
                """).params(tenantId, userId, actor, type, ip, detail == null || detail.length() < 1000 ? detail
                : detail.substring(0, 1000)).update();
    }
}
