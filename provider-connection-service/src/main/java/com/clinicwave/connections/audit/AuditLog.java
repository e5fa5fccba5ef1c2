package com.clinicwave.connections.audit;

import com.clinicwave.platform.web.Problems;
import java.time.Clock;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes the audit trail: who (actor and kind), what (action, outcome, connection, provider), when, and the trace id.
 * Joins the caller's transaction when there is one, so an audited change and its record commit together; a failure
 * recorded outside a transaction commits on its own. Details must never hold tokens, secrets or codes.
 */
@Component
public class AuditLog {

    public enum ActorType { consumer, admin, service, system }

    private final JdbcClient jdbc;
    private final Problems problems;
    private final Clock clock;

    AuditLog(JdbcClient jdbc, Problems problems, Clock clock) {
        this.jdbc = jdbc;
        this.problems = problems;
        this.clock = clock;
    }

    public record Entry(String actor, ActorType actorType, String action, String outcome,
            @Nullable UUID connectionId, @Nullable String providerKey, @Nullable UUID consumerId,
            @Nullable String detail) {
    }

    public void record(Entry e) {
        String detail = e.detail() == null ? null : e.detail().substring(0, Math.min(500, e.detail().length()));
        jdbc.sql("""
                insert into audit_event (occurred_at, actor, actor_type, action, outcome, connection_id, provider_key,
                    consumer_id, detail, trace_id)
                values (:at, :actor, :actorType, :action, :outcome, :connectionId, :providerKey, :consumerId,
                    :detail, :traceId)
                """)
                .param("at", java.sql.Timestamp.from(clock.instant()))
                .param("actor", e.actor())
                .param("actorType", e.actorType().name())
                .param("action", e.action())
                .param("outcome", e.outcome())
                .param("connectionId", e.connectionId())
                .param("providerKey", e.providerKey())
                .param("consumerId", e.consumerId())
                .param("detail", detail)
                .param("traceId", problems.currentTraceId())
                .update();
    }
}
