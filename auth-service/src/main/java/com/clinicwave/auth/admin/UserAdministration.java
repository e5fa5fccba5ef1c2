package com.clinicwave.auth.admin;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Users of one tenant as its administrators see them; every query is scoped by the tenant id. */
@Repository
public class UserAdministration {

    /** A user without any secret. */
    public record UserSummary(UUID id, String username, @Nullable String email, boolean emailVerified, boolean enabled,
            boolean locked, @Nullable Instant lockedUntil, boolean mustChangePassword, List<String> roles,
            Instant createdAt, @Nullable Instant lastLoginAt) {
    }

    private static final String SELECT = """
            select u.id, u.username, u.email, u.email_verified, u.enabled, u.locked_until, u.must_change_password,
                   array(select r.name from user_role ur join role r on r.id = ur.role_id where ur.user_id = u.id
                         order by r.name), u.created_at, u.last_login_at
            from app_user u
            """;
    private static final String FILTER = """
             where u.tenant_id = :tenant
               and (:pattern = '' or u.username ilike :pattern escape '\\' or u.email ilike :pattern escape '\\')
            """;

    private final JdbcClient jdbc;

    public UserAdministration(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Users of the tenant whose username or email contains {@code query} (case-insensitive), by username. */
    public List<UserSummary> search(UUID tenantId, @Nullable String query, int page, int size) {
        return jdbc.sql(SELECT + FILTER + " order by u.username limit :size offset :offset")
                .param("tenant", tenantId).param("pattern", pattern(query)).param("size", size)
                .param("offset", (long) page * size).query(UserAdministration::map).list();
    }

    public long count(UUID tenantId, @Nullable String query) {
        return jdbc.sql("select count(*) from app_user u" + FILTER).param("tenant", tenantId)
                .param("pattern", pattern(query)).query(Long.class).single();
    }

    public Optional<UserSummary> find(UUID tenantId, UUID userId) {
        return jdbc.sql(SELECT + " where u.tenant_id = ? and u.id = ?").params(tenantId, userId)
                .query(UserAdministration::map).optional();
    }

    /** Locks the tenant's user row until the transaction ends (concurrent role changes apply one after the other). */
    public boolean lockRow(UUID tenantId, UUID userId) {
        return jdbc.sql("select id from app_user where tenant_id = ? and id = ? for update").params(tenantId, userId)
                .query(UUID.class).optional().isPresent();
    }

    /** The permissions the named roles of the tenant give (unknown names give none). */
    public List<String> permissionsOf(UUID tenantId, java.util.Collection<String> roleNames) {
        if (roleNames.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                select distinct rp.permission from role r join role_permission rp on rp.role_id = r.id
                where r.tenant_id = :tenant and r.name in (:names)
                """).param("tenant", tenantId).param("names", roleNames).query(String.class).list();
    }

    private static String pattern(@Nullable String query) {
        if (query == null || query.isBlank()) {
            return "";
        }
        return "%" + query.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static UserSummary map(ResultSet rs, int row) throws SQLException {
        Timestamp locked = rs.getTimestamp(6);
        Timestamp lastLogin = rs.getTimestamp(10);
        Instant lockedUntil = locked == null ? null : locked.toInstant();
        return new UserSummary(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                rs.getBoolean(5), lockedUntil != null && lockedUntil.isAfter(Instant.now()), lockedUntil,
                rs.getBoolean(7), Arrays.asList((String[]) rs.getArray(8).getArray()), rs.getTimestamp(9).toInstant(),
                lastLogin == null ? null : lastLogin.toInstant());
    }
}
