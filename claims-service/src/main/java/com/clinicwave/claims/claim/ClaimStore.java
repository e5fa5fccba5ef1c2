package com.clinicwave.claims.claim;

import com.clinicwave.claims.sources.ClaimData;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes claims idempotently: one multi-row {@code INSERT … ON CONFLICT (connection_id, provider_claim_id) DO
 * UPDATE … WHERE (content) IS DISTINCT FROM (new content)}, so a claim seen again unchanged is not written at all,
 * and the {@code RETURNING} rows tell created ({@code xmax = 0}) from updated.
 */
@Repository
public class ClaimStore {

    private static final int COLUMNS = 13;
    /** PostgreSQL allows 65535 bind parameters per statement. */
    private static final int MAX_ROWS_PER_STATEMENT = 65535 / COLUMNS;

    private static final String INSERT = """
            insert into claim (id, connection_id, provider_claim_id, claim_type, service_date, provider_name,
                               patient_name, service_description, total_amount, patient_responsibility, currency,
                               status, source_last_updated)
            values %s
            on conflict (connection_id, provider_claim_id) do update set
                claim_type = excluded.claim_type, service_date = excluded.service_date,
                provider_name = excluded.provider_name, patient_name = excluded.patient_name,
                service_description = excluded.service_description, total_amount = excluded.total_amount,
                patient_responsibility = excluded.patient_responsibility, currency = excluded.currency,
                status = excluded.status, source_last_updated = excluded.source_last_updated, updated_at = now()
            where (claim.claim_type, claim.service_date, claim.provider_name, claim.patient_name,
                   claim.service_description, claim.total_amount, claim.patient_responsibility, claim.currency,
                   claim.status)
                  is distinct from
                  (excluded.claim_type, excluded.service_date, excluded.provider_name, excluded.patient_name,
                   excluded.service_description, excluded.total_amount, excluded.patient_responsibility,
                   excluded.currency, excluded.status)
            returning (xmax = 0) as inserted
            """;
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final JdbcClient jdbc;

    ClaimStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Upserts one page of a connection's claims in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public UpsertCounts upsert(UUID connectionId, List<ClaimData> page) {
        // One statement cannot touch a row twice: the last version of a claim in the page wins.
        Map<String, ClaimData> unique = new LinkedHashMap<>();
        for (ClaimData claim : page) {
            unique.put(claim.providerClaimId(), claim);
        }
        List<ClaimData> claims = new ArrayList<>(unique.values());
        UpsertCounts counts = UpsertCounts.NONE;
        for (int from = 0; from < claims.size(); from += MAX_ROWS_PER_STATEMENT) {
            counts = counts.plus(upsertChunk(connectionId,
                    claims.subList(from, Math.min(claims.size(), from + MAX_ROWS_PER_STATEMENT))));
        }
        return counts;
    }

    private UpsertCounts upsertChunk(UUID connectionId, Collection<ClaimData> claims) {
        List<Object> params = new ArrayList<>(claims.size() * COLUMNS);
        StringBuilder rows = new StringBuilder(claims.size() * (ROW.length() + 2));
        for (ClaimData claim : claims) {
            if (!rows.isEmpty()) {
                rows.append(", ");
            }
            rows.append(ROW);
            params.add(UUID.randomUUID());
            params.add(connectionId);
            params.add(claim.providerClaimId());
            params.add(claim.claimType());
            params.add(claim.serviceDate() == null ? null : Date.valueOf(claim.serviceDate()));
            params.add(claim.providerName());
            params.add(claim.patientName());
            params.add(claim.serviceDescription());
            params.add(claim.totalAmount());
            params.add(claim.patientResponsibility());
            params.add(claim.currency());
            params.add(claim.status());
            params.add(claim.sourceLastUpdated() == null ? null : Timestamp.from(claim.sourceLastUpdated()));
        }
        List<Boolean> written = jdbc.sql(INSERT.formatted(rows))
                .params(params)
                .query((rs, n) -> rs.getBoolean(1))
                .list();
        int created = (int) written.stream().filter(Boolean::booleanValue).count();
        int updated = written.size() - created;
        return new UpsertCounts(created, updated, claims.size() - written.size());
    }
}
