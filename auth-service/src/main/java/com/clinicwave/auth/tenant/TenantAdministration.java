package com.clinicwave.auth.tenant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Tenants as the platform administrators see them: state, domains; paged listing. */
@Repository
public class TenantAdministration {

    /** A tenant with its domains. */
    public record TenantDetails(UUID id, String key, String name, boolean openRegistration, boolean enabled,
            List<String> domains, Instant createdAt, @Nullable Instant disabledAt) {
    }

    /** Host names only: labels of letters, digits and '-', at least two labels, lower case, at most 253 chars. */
    public static final Pattern DOMAIN = Pattern.compile(
            "(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

    private static final String SELECT = """
            select t.id, t.tenant_key, t.name, t.open_registration, t.enabled, t.created_at, t.disabled_at,
                   array(select d.domain from tenant_domain d where d.tenant_id = t.id order by d.domain)
            from tenant t
            """;

    private final JdbcClient jdbc;

    public TenantAdministration(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public static String normalizeDomain(String domain) {
        return domain.trim().toLowerCase(Locale.ROOT);
    }

    public List<TenantDetails> list(int page, int size) {
        return jdbc.sql(SELECT + " order by t.created_at, t.tenant_key limit ? offset ?")
                .params(size, (long) page * size).query(TenantAdministration::map).list();
    }

    public long count() {
        return jdbc.sql("select count(*) from tenant").query(Long.class).single();
    }

    public Optional<TenantDetails> find(String key) {
        return jdbc.sql(SELECT + " where t.tenant_key = ?").param(key).query(TenantAdministration::map).optional();
    }

    /** Which of the domains already belong to a tenant other than {@code tenantId} (null: any tenant). */
    public List<String> domainsTaken(Collection<String> domains, @Nullable UUID tenantId) {
        if (domains.isEmpty()) {
            return List.of();
        }
        if (tenantId == null) {
            return jdbc.sql("select domain from tenant_domain where domain in (:domains)").param("domains", domains)
                    .query(String.class).list();
        }
        return jdbc.sql("select domain from tenant_domain where domain in (:domains) and tenant_id <> :tenant")
                .param("domains", domains).param("tenant", tenantId).query(String.class).list();
    }

    public void setDomains(UUID tenantId, Collection<String> domains) {
        jdbc.sql("delete from tenant_domain where tenant_id = ?").param(tenantId).update();
        for (String domain : domains) {
            jdbc.sql("insert into tenant_domain (domain, tenant_id) values (?, ?)").params(domain, tenantId).update();
        }
    }

    /** Seed data: adds the domain to the tenant unless some tenant already has it. */
    public void addDomainIfAbsent(UUID tenantId, String domain) {
        jdbc.sql("insert into tenant_domain (domain, tenant_id) values (?, ?) on conflict do nothing")
                .params(domain, tenantId).update();
    }

    /** Locks the tenant's row until the transaction ends. */
    public void lockRow(UUID tenantId) {
        jdbc.sql("select id from tenant where id = ? for update").param(tenantId).query(UUID.class).list();
    }

    public void rename(UUID tenantId, String name) {
        jdbc.sql("update tenant set name = ? where id = ?").params(name, tenantId).update();
    }

    public void setOpenRegistration(UUID tenantId, boolean open) {
        jdbc.sql("update tenant set open_registration = ? where id = ?").params(open, tenantId).update();
    }

    public void setEnabled(UUID tenantId, boolean enabled) {
        jdbc.sql("update tenant set enabled = ?, disabled_at = case when ? then null else now() end where id = ?")
                .params(enabled, enabled, tenantId).update();
    }

    public List<UUID> userIds(UUID tenantId) {
        return jdbc.sql("select id from app_user where tenant_id = ?").param(tenantId).query(UUID.class).list();
    }

    private static TenantDetails map(ResultSet rs, int row) throws SQLException {
        java.sql.Array domains = rs.getArray(8);
        Timestamp disabled = rs.getTimestamp(7);
        return new TenantDetails(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                rs.getBoolean(5), domains == null ? List.of() : Arrays.asList((String[]) domains.getArray()),
                rs.getTimestamp(6).toInstant(), disabled == null ? null : disabled.toInstant());
    }
}
