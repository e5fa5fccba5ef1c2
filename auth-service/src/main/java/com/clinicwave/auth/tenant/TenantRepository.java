package com.clinicwave.auth.tenant;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Tenants in PostgreSQL. */
@Repository
public class TenantRepository {

    private final JdbcClient jdbc;

    public TenantRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Tenant> findByKey(String key) {
        return jdbc.sql("select id, tenant_key, name, open_registration from tenant where tenant_key = ?")
                .param(key).query((rs, i) -> new Tenant(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getString(3), rs.getBoolean(4))).optional();
    }

    /** A tenant that may sign users in and register them (a disabled tenant is unknown to logins). */
    public Optional<Tenant> findEnabledByKey(String key) {
        return jdbc.sql("select id, tenant_key, name, open_registration from tenant where tenant_key = ? and enabled")
                .param(key).query((rs, i) -> new Tenant(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getString(3), rs.getBoolean(4))).optional();
    }

    /** The enabled tenant answering to a domain (host name, lower case, no port), if any. */
    public Optional<Tenant> findEnabledByDomain(String domain) {
        return jdbc.sql("""
                select t.id, t.tenant_key, t.name, t.open_registration from tenant_domain d
                join tenant t on t.id = d.tenant_id where d.domain = ? and t.enabled
                """).param(domain).query((rs, i) -> new Tenant(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getString(3), rs.getBoolean(4))).optional();
    }

    /** Whether the tenant exists and is enabled (a disabled tenant's clients get no token). */
    public boolean isEnabled(UUID id) {
        return jdbc.sql("select enabled from tenant where id = ?").param(id).query(Boolean.class).optional().orElse(false);
    }

    public Optional<Tenant> findById(UUID id) {
        return jdbc.sql("select id, tenant_key, name, open_registration from tenant where id = ?")
                .param(id).query((rs, i) -> new Tenant(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getString(3), rs.getBoolean(4))).optional();
    }

    public Tenant create(String key, String name, boolean openRegistration) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into tenant (id, tenant_key, name, open_registration) values (?, ?, ?, ?)")
                .params(id, key, name, openRegistration).update();
        return new Tenant(id, key, name, openRegistration);
    }
}
