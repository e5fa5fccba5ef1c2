package com.clinicwave.claims.claim;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.stereotype.Repository;

/** Reads claims for the API, and changes their verification status. */
@Repository
public class ClaimQueries {

    private static final String COLUMNS = """
            id, connection_id, provider_claim_id, claim_type, service_date, provider_name, patient_name,
            service_description, total_amount, patient_responsibility, currency, status, verification_status,
            created_at, updated_at, source_last_updated
            """;

    private final JdbcClient jdbc;

    ClaimQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One page of a connection's claims, newest service first. */
    public List<ClaimView> list(UUID connectionId, ClaimFilter filter, int page, int size) {
        StatementSpec spec = jdbc.sql("select " + COLUMNS + " from claim where " + where(filter)
                + " order by service_date desc nulls last, id desc limit :limit offset :offset");
        return bind(spec, connectionId, filter)
                .param("limit", size)
                .param("offset", (long) page * size)
                .query(ClaimQueries::map)
                .list();
    }

    public long count(UUID connectionId, ClaimFilter filter) {
        return bind(jdbc.sql("select count(*) from claim where " + where(filter)), connectionId, filter)
                .query(Long.class)
                .single();
    }

    /** The claim when it belongs to one of the given owner's live connections. */
    public Optional<ClaimView> findOwned(UUID claimId, String consumerId, String tenantId) {
        return jdbc.sql("select " + prefixed() + """
                 from claim c join connection k on k.id = c.connection_id
                where c.id = :id and k.consumer_id = :consumer and k.status <> 'deleted'
                  and (k.tenant_id is null or k.tenant_id = :tenant)
                """)
                .param("id", claimId).param("consumer", consumerId).param("tenant", tenantId)
                .query(ClaimQueries::map)
                .optional();
    }

    public void setVerification(UUID claimId, String verificationStatus) {
        jdbc.sql("update claim set verification_status = :status, updated_at = now() where id = :id")
                .param("status", verificationStatus).param("id", claimId)
                .update();
    }

    private static String prefixed() {
        return String.join(", ", java.util.Arrays.stream(COLUMNS.split(","))
                .map(c -> "c." + c.strip()).toList());
    }

    private static String where(ClaimFilter filter) {
        StringBuilder where = new StringBuilder("connection_id = :connection");
        if (filter.status() != null) {
            where.append(" and status = :status");
        }
        if (filter.claimType() != null) {
            where.append(" and claim_type = :claimType");
        }
        if (filter.from() != null) {
            where.append(" and service_date >= :from");
        }
        if (filter.to() != null) {
            where.append(" and service_date <= :to");
        }
        return where.toString();
    }

    private static StatementSpec bind(StatementSpec spec, UUID connectionId, ClaimFilter filter) {
        spec = spec.param("connection", connectionId);
        if (filter.status() != null) {
            spec = spec.param("status", filter.status());
        }
        if (filter.claimType() != null) {
            spec = spec.param("claimType", filter.claimType());
        }
        if (filter.from() != null) {
            spec = spec.param("from", Date.valueOf(filter.from()));
        }
        if (filter.to() != null) {
            spec = spec.param("to", Date.valueOf(filter.to()));
        }
        return spec;
    }

    private static ClaimView map(ResultSet rs, int row) throws SQLException {
        Date serviceDate = rs.getDate("service_date");
        java.sql.Timestamp sourceUpdated = rs.getTimestamp("source_last_updated");
        return new ClaimView(rs.getObject("id", UUID.class), rs.getObject("connection_id", UUID.class),
                rs.getString("provider_claim_id"), rs.getString("claim_type"),
                serviceDate == null ? null : serviceDate.toLocalDate(), rs.getString("provider_name"),
                rs.getString("patient_name"), rs.getString("service_description"), rs.getBigDecimal("total_amount"),
                rs.getBigDecimal("patient_responsibility"), rs.getString("currency").strip(), rs.getString("status"),
                rs.getString("verification_status"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), sourceUpdated == null ? null : sourceUpdated.toInstant());
    }
}
