package com.clinicwave.auth.user;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Users, their roles and permissions in PostgreSQL; every lookup is scoped by tenant or by user id. */
@Repository
public class UserRepository {

    /** {@code enabled}: the account's and its tenant's; a disabled tenant's users get no token of any kind. */
    private static final String SELECT = """
            select u.id, u.tenant_id, t.tenant_key, u.username, u.email, u.password_hash, u.enabled and t.enabled,
                   u.locked_until, u.email_verified
            from app_user u join tenant t on t.id = u.tenant_id
            """;

    private final JdbcClient jdbc;

    public UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<UserAccount> findByUsername(UUID tenantId, String username) {
        return jdbc.sql(SELECT + " where u.tenant_id = ? and u.username = ?").params(tenantId, username)
                .query(UserRepository::map).optional();
    }

    public Optional<UserAccount> findById(UUID id) {
        return jdbc.sql(SELECT + " where u.id = ?").param(id).query(UserRepository::map).optional();
    }

    public Optional<UserAccount> findByEmail(UUID tenantId, String email) {
        return jdbc.sql(SELECT + " where u.tenant_id = ? and lower(u.email) = lower(?)").params(tenantId, email)
                .query(UserRepository::map).optional();
    }

    public UserAccount create(UUID tenantId, String username, @Nullable String email, @Nullable String passwordHash) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into app_user (id, tenant_id, username, email, password_hash) values (?, ?, ?, ?, ?)")
                .params(id, tenantId, username, email, passwordHash).update();
        return findById(id).orElseThrow();
    }

    /** Marks the user's current email address as verified (seeded users, an identity provider's verified email). */
    public void markEmailVerified(UUID userId) {
        jdbc.sql("update app_user set email_verified = true where id = ? and email is not null").param(userId).update();
    }

    public void updatePasswordHash(UUID userId, String hash) {
        jdbc.sql("update app_user set password_hash = ? where id = ?").params(hash, userId).update();
    }

    /** Whether the user must choose a new password before signing in (bootstrapped and admin-created accounts). */
    public void setMustChangePassword(UUID userId, boolean required) {
        jdbc.sql("update app_user set must_change_password = ? where id = ?").params(required, userId).update();
    }

    /** Records a successful login; answers whether the user must change the password (same round trip). */
    public boolean recordLogin(UUID userId) {
        return jdbc.sql("update app_user set last_login_at = now() where id = ? returning must_change_password")
                .param(userId).query(Boolean.class).optional().orElse(false);
    }

    public void lockUntil(UUID userId, @Nullable Instant until) {
        jdbc.sql("update app_user set locked_until = ? where id = ?")
                .params(until == null ? null : Timestamp.from(until), userId).update();
    }

    private static final String GRANTS = """
            array(select r.name from user_role ur join role r on r.id = ur.role_id where ur.user_id = %1$s
                  order by r.name),
            array(select distinct rp.permission from user_role ur join role_permission rp on rp.role_id = ur.role_id
                  where ur.user_id = %1$s order by rp.permission)
            """;

    /** The user's roles and permissions (one round trip). */
    public Grants grants(UUID userId) {
        return jdbc.sql("select " + GRANTS.formatted(":user")).param("user", userId)
                .query((rs, row) -> grants(rs, 1)).single();
    }

    /** A user with their grants, in one round trip (the token refresh path). */
    public Optional<WithGrants> findWithGrants(UUID id) {
        return jdbc.sql(SELECT.replace("from app_user u", ", " + GRANTS.formatted("u.id") + " from app_user u")
                        + " where u.id = ?").param(id)
                .query((rs, row) -> new WithGrants(map(rs, row), grants(rs, 10))).optional();
    }

    /** A user and what they may do. */
    public record WithGrants(UserAccount user, Grants grants) {
    }

    private static Grants grants(ResultSet rs, int firstColumn) throws SQLException {
        return new Grants(strings(rs, firstColumn), strings(rs, firstColumn + 1));
    }

    private static List<String> strings(ResultSet rs, int column) throws SQLException {
        java.sql.Array array = rs.getArray(column);
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    /** Replaces the user's roles by the named roles of the same tenant; answers the names that do not exist. */
    public List<String> replaceRoles(UUID userId, UUID tenantId, Collection<String> roleNames) {
        List<String> known = jdbc.sql("select name from role where tenant_id = :tenant and name in (:names)")
                .param("tenant", tenantId).param("names", roleNames.isEmpty() ? List.of("") : roleNames)
                .query(String.class).list();
        List<String> unknown = roleNames.stream().filter(n -> !known.contains(n)).toList();
        if (!unknown.isEmpty()) {
            return unknown;
        }
        jdbc.sql("delete from user_role where user_id = ?").param(userId).update();
        if (!roleNames.isEmpty()) {
            jdbc.sql("""
                    insert into user_role (user_id, role_id)
                    select :user, id from role where tenant_id = :tenant and name in (:names)
                    """).param("user", userId).param("tenant", tenantId).param("names", roleNames).update();
        }
        return List.of();
    }

    private static UserAccount map(ResultSet rs, int row) throws SQLException {
        Timestamp locked = rs.getTimestamp(8);
        return new UserAccount(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getBoolean(7),
                locked == null ? null : locked.toInstant(), rs.getBoolean(9));
    }
}
