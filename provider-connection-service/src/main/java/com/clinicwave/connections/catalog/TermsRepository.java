package com.clinicwave.connections.catalog;

import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Versioned terms and their acceptances. */
@Repository
public class TermsRepository {

    private final JdbcClient jdbc;

    TermsRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Terms> active(String providerKey) {
        return jdbc.sql("""
                select provider_key, version, terms_text, effective_date, is_active from provider_terms
                where provider_key = :key and is_active
                """)
                .param("key", providerKey)
                .query((rs, n) -> new Terms(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, LocalDate.class), rs.getBoolean(5)))
                .optional();
    }

    public boolean hasAny(String providerKey) {
        return jdbc.sql("select count(*) from provider_terms where provider_key = :key").param("key", providerKey)
                .query(Long.class).single() > 0;
    }

    /** Publishes a version and makes it the only active one. */
    @Transactional
    public void publish(Terms terms) {
        jdbc.sql("update provider_terms set is_active = false where provider_key = :key and is_active")
                .param("key", terms.providerKey()).update();
        jdbc.sql("""
                insert into provider_terms (provider_key, version, terms_text, effective_date, is_active)
                values (:key, :version, :text, :date, true)
                on conflict (provider_key, version) do update set terms_text = excluded.terms_text,
                    effective_date = excluded.effective_date, is_active = true
                """)
                .param("key", terms.providerKey()).param("version", terms.version()).param("text", terms.termsText())
                .param("date", terms.effectiveDate()).update();
    }

    public void recordAcceptance(UUID consumerId, @Nullable UUID tenantId, String providerKey, String version) {
        jdbc.sql("""
                insert into terms_acceptance (id, consumer_id, tenant_id, provider_key, version)
                values (:id, :consumer, :tenant, :key, :version)
                """)
                .param("id", UUID.randomUUID()).param("consumer", consumerId).param("tenant", tenantId)
                .param("key", providerKey).param("version", version).update();
    }
}
