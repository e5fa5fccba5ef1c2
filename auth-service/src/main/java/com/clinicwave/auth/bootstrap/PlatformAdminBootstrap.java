package com.clinicwave.auth.bootstrap;

import com.clinicwave.auth.audit.AuditLog;
import com.clinicwave.auth.tenant.Tenant;
import com.clinicwave.auth.tenant.TenantRepository;
import com.clinicwave.auth.tenant.TenantRoles;
import com.clinicwave.auth.user.RoleRepository;
import com.clinicwave.auth.user.UserAccount;
import com.clinicwave.auth.user.UserRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every profile: the {@code platform} tenant (its operators only; no self-registration) with the role
 * {@code platform_admin} ({@code tenants:admin}); and, while no user holds that role, the administrator named by
 * {@link BootstrapProperties} — password hashed like every other, to be changed at the first sign-in. Without a
 * configured name and password the start goes on and the log says how to set them.
 */
@Component
@Order(0)
class PlatformAdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(PlatformAdminBootstrap.class);

    private final TenantRepository tenants;
    private final RoleRepository roles;
    private final UserRepository users;
    private final PasswordEncoder passwords;
    private final BootstrapProperties properties;
    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    PlatformAdminBootstrap(TenantRepository tenants, RoleRepository roles, UserRepository users,
            PasswordEncoder passwords, BootstrapProperties properties, JdbcClient jdbc, AuditLog audit,
            TransactionTemplate tx) {
        this.tenants = tenants;
        this.roles = roles;
        this.users = users;
        this.passwords = passwords;
        this.properties = properties;
        this.jdbc = jdbc;
        this.audit = audit;
        this.tx = tx;
    }

    @Override
    public void run(ApplicationArguments args) {
        try {
            tx.executeWithoutResult(s -> bootstrap());
        } catch (DuplicateKeyException anotherReplicaWasFirst) {
            log.info("Platform tenant or administrator created concurrently by another replica");
        }
    }

    private void bootstrap() {
        Tenant platform = tenants.findByKey(TenantRoles.PLATFORM_TENANT)
                .orElseGet(() -> tenants.create(TenantRoles.PLATFORM_TENANT, "ClinicWave platform", false));
        var role = roles.find(platform.id(), TenantRoles.PLATFORM_ADMIN_ROLE).orElseGet(() -> roles.create(platform.id(),
                TenantRoles.PLATFORM_ADMIN_ROLE, "Administers the tenants of the platform", TenantRoles.PLATFORM_ADMIN));
        // users:admin: the platform's administrators manage the platform tenant's users, and pass the gateway's
        // coarse check of /api/v1/admin/** (where /api/v1/admin/tenants lives).
        for (String permission : TenantRoles.PLATFORM_ADMIN) {
            jdbc.sql("insert into role_permission (role_id, permission) values (?, ?) on conflict do nothing")
                    .params(role.id(), permission).update();
        }
        long admins = jdbc.sql("select count(*) from user_role where role_id = ?").param(role.id())
                .query(Long.class).single();
        if (admins > 0) {
            return;
        }
        String username = properties.adminUsername();
        String password = properties.adminPassword();
        if (username == null || username.isBlank() || password == null || password.isBlank()) {
            log.warn("No platform administrator exists. Set AUTH_BOOTSTRAP_ADMIN_USERNAME and AUTH_BOOTSTRAP_ADMIN_PASSWORD "
                    + "(optionally AUTH_BOOTSTRAP_ADMIN_EMAIL) and restart: the administrator is created in tenant '{}' "
                    + "and must change the password at the first sign-in (POST /api/v1/auth/password).",
                    TenantRoles.PLATFORM_TENANT);
            return;
        }
        // The initial password is replaced at the first sign-in (outside local), so only its strength is checked
        // here, not the "not containing the username" rule (the local data's platform-admin-password-1).
        if (password.length() < 10 || password.chars().noneMatch(Character::isLetter)
                || password.chars().allMatch(Character::isLetter)) {
            throw new IllegalStateException("AUTH_BOOTSTRAP_ADMIN_PASSWORD must have at least 10 characters with a letter "
                    + "and a digit or symbol");
        }
        UserAccount admin = users.findByUsername(platform.id(), username).orElseGet(() ->
                users.create(platform.id(), username, blankToNull(properties.adminEmail()), passwords.encode(password)));
        roles.grant(admin.id(), role.id());
        jdbc.sql("update app_user set must_change_password = ? where id = ?")
                .params(properties.passwordChangeRequired(), admin.id()).update();
        audit.record("platform_admin.bootstrapped", platform.id(), admin.id(), "bootstrap", null, username);
        log.info("Platform administrator '{}' created in tenant '{}'{}", username, TenantRoles.PLATFORM_TENANT,
                properties.passwordChangeRequired() ? "; the password must be changed at the first sign-in" : "");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
