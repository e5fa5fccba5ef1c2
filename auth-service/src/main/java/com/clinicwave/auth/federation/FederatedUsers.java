package com.clinicwave.auth.federation;

import com.clinicwave.auth.audit.AuditLog;
import com.clinicwave.auth.config.AuthProperties;
import com.clinicwave.auth.events.AuthEvents;
import com.clinicwave.auth.login.Registration;
import com.clinicwave.auth.tenant.Tenant;
import com.clinicwave.auth.tenant.TenantRepository;
import com.clinicwave.auth.user.RoleRepository;
import com.clinicwave.auth.user.UserAccount;
import com.clinicwave.auth.user.UserRepository;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Maps an external OIDC identity (provider, {@code sub}) to a local user: an existing link wins; otherwise a user of
 * the provider's tenant with the same verified email is linked; otherwise a new user is provisioned (role patient).
 */
@Service
class FederatedUsers {

    private final JdbcClient jdbc;
    private final TenantRepository tenants;
    private final UserRepository users;
    private final RoleRepository roles;
    private final AuthEvents events;
    private final AuditLog audit;
    private final AuthProperties properties;

    FederatedUsers(JdbcClient jdbc, TenantRepository tenants, UserRepository users, RoleRepository roles,
            AuthEvents events, AuditLog audit, AuthProperties properties) {
        this.jdbc = jdbc;
        this.tenants = tenants;
        this.users = users;
        this.roles = roles;
        this.events = events;
        this.audit = audit;
        this.properties = properties;
    }

    @Transactional
    UserAccount linkOrProvision(String provider, OidcUser external) {
        String subject = external.getSubject();
        Optional<UserAccount> linked = jdbc.sql("select user_id from federated_identity where provider = ? and subject = ?")
                .params(provider, subject).query(UUID.class).optional().flatMap(users::findById);
        if (linked.isPresent()) {
            return enabled(linked.get());
        }
        String tenantKey = properties.federation().tenants().getOrDefault(provider, properties.defaultTenant());
        Tenant tenant = tenants.findByKey(tenantKey).orElseThrow(() -> new DisabledException("Unknown tenant"));
        String email = external.getEmail();
        Optional<UserAccount> byEmail = email != null && Boolean.TRUE.equals(external.getEmailVerified())
                ? users.findByEmail(tenant.id(), email) : Optional.empty();
        UserAccount user = byEmail.orElseGet(() -> provision(tenant, provider, external));
        jdbc.sql("insert into federated_identity (provider, subject, user_id) values (?, ?, ?)")
                .params(provider, subject, user.id()).update();
        audit.record("user.federated_link", tenant.id(), user.id(), provider, null, byEmail.isPresent() ? "linked" : "provisioned");
        return enabled(user);
    }

    private UserAccount provision(Tenant tenant, String provider, OidcUser external) {
        String base = external.getPreferredUsername() != null ? external.getPreferredUsername()
                : provider + "-" + external.getSubject();
        String username = base.replaceAll("[^A-Za-z0-9._-]", "-");
        if (username.length() > 60) {
            username = username.substring(0, 60);
        }
        if (users.findByUsername(tenant.id(), username).isPresent()) {
            username = (provider + "-" + UUID.randomUUID().toString().substring(0, 8) + "-" + username);
            username = username.substring(0, Math.min(64, username.length()));
        }
        String email = external.getEmail();
        if (email != null && users.findByEmail(tenant.id(), email).isPresent()) {
            email = null;
        }
        UserAccount user = users.create(tenant.id(), username, email, null);
        roles.find(tenant.id(), Registration.DEFAULT_ROLE).ifPresent(r -> roles.grant(user.id(), r.id()));
        events.userRegistered(user.id(), tenant.id(), username);
        return user;
    }

    private static UserAccount enabled(UserAccount user) {
        if (!user.enabled()) {
            throw new DisabledException("Account disabled");
        }
        return user;
    }
}
