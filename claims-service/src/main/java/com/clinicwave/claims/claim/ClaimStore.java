package com.clinicwave.claims.claim;

import com.clinicwave.claims.sources.ClaimData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes claims idempotently: one {@code INSERT … SELECT … FROM unnest(<one array per column>) ON CONFLICT
 * (connection_id, provider_claim_id) DO UPDATE … WHERE (content) IS DISTINCT FROM (new content)} per batch, so a claim
 * seen again unchanged is not written at all, and the {@code RETURNING} rows tell created ({@code xmax = 0}) from
 * updated. The statement text is the same for every batch (13 array parameters instead of 13 per row), so the driver
 * prepares it once per connection and the server neither parses nor plans a statement of thousands of rows again.
 */
@Repository
public class ClaimStore {

    private static final String UPSERT = """
            insert into claim (id, connection_id, provider_claim_id, claim_type, service_date, provider_name,
                               patient_name, service_description, total_amount, patient_responsibility, currency,
                               status, source_last_updated)
            select gen_random_uuid(), ?::uuid, r.*
            from unnest(?::varchar[], ?::varchar[], ?::date[], ?::varchar[], ?::varchar[], ?::text[], ?::numeric[],
                        ?::numeric[], ?::varchar[], ?::varchar[], ?::timestamptz[])
                 as r (provider_claim_id, claim_type, service_date, provider_name, patient_name, service_description,
                       total_amount, patient_responsibility, currency, status, source_last_updated)
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

    private final JdbcClient jdbc;

    ClaimStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Upserts one batch of a connection's claims in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public UpsertCounts upsert(UUID connectionId, List<ClaimData> page) {
        // One statement cannot touch a row twice: the last version of a claim in the page wins.
        Map<String, ClaimData> unique = new LinkedHashMap<>();
        for (ClaimData claim : page) {
            unique.put(claim.providerClaimId(), claim);
        }
        if (unique.isEmpty()) {
            return UpsertCounts.NONE;
        }
        int rows = unique.size();
        String[] ids = new String[rows];
        String[] types = new String[rows];
        String[] serviceDates = new String[rows];
        String[] providers = new String[rows];
        String[] patients = new String[rows];
        String[] descriptions = new String[rows];
        String[] totals = new String[rows];
        String[] shares = new String[rows];
        String[] currencies = new String[rows];
        String[] statuses = new String[rows];
        String[] lastUpdated = new String[rows];
        int row = 0;
        for (ClaimData claim : unique.values()) {
            ids[row] = claim.providerClaimId();
            types[row] = claim.claimType();
            serviceDates[row] = claim.serviceDate() == null ? null : claim.serviceDate().toString();
            providers[row] = claim.providerName();
            patients[row] = claim.patientName();
            descriptions[row] = claim.serviceDescription();
            totals[row] = claim.totalAmount().toPlainString();
            shares[row] = claim.patientResponsibility().toPlainString();
            currencies[row] = claim.currency();
            statuses[row] = claim.status();
            lastUpdated[row] = claim.sourceLastUpdated() == null ? null : claim.sourceLastUpdated().toString();
            row++;
        }
        List<Boolean> written = jdbc.sql(UPSERT)
                .params(connectionId, ids, types, serviceDates, providers, patients, descriptions, totals, shares,
                        currencies, statuses, lastUpdated)
                .query((rs, n) -> rs.getBoolean(1))
                .list();
        int created = (int) written.stream().filter(Boolean::booleanValue).count();
        int updated = written.size() - created;
        return new UpsertCounts(created, updated, rows - written.size());
    }
}
