package com.clinicwave.auth.user;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Roles of a tenant and the permissions they grant. */
@Repository
public class RoleRepository {

    /** A role with its permissions. */
    public record Role(UUID id, String name, @Nullable String description, List<String> permissions) {
    }

    private final JdbcClient jdbc;

    public RoleRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<Role> list(UUID tenantId) {
        return jdbc.sql("""
                select r.id, r.name, r.description, coalesce(string_agg(rp.permission, ' ' order by rp.permission), '')
                from role r left join role_permission rp on rp.role_id = r.id
                where r.tenant_id = ? group by r.id, r.name, r.description order by r.name
                """).param(tenantId).query((rs, i) -> new Role(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getString(3), split(rs.getString(4)))).list();
    }

    public Optional<Role> find(UUID tenantId, String name) {
        return list(tenantId).stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public List<String> knownPermissions() {
        return jdbc.sql("select name from permission order by name").query(String.class).list();
    }

    public Role create(UUID tenantId, String name, @Nullable String description, Collection<String> permissions) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into role (id, tenant_id, name, description) values (?, ?, ?, ?)")
                .params(id, tenantId, name, description).update();
        for (String permission : permissions) {
            jdbc.sql("insert into role_permission (role_id, permission) values (?, ?)").params(id, permission).update();
        }
        return new Role(id, name, description, new ArrayList<>(permissions).stream().sorted().toList());
    }

    public void grant(UUID userId, UUID roleId) {
        jdbc.sql("insert into user_role (user_id, role_id) values (?, ?) on conflict do nothing")
                .params(userId, roleId).update();
    }

    private static List<String> split(String value) {
        return value == null || value.isBlank() ? List.of() : Arrays.asList(value.split(" "));
    }
}
