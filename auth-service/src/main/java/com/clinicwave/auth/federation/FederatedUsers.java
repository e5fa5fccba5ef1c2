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
 * the provider's tenant with the same email is linked — only when the provider says the email is verified AND the
 * local account's email is verified; a local account with that email whose address is not verified refuses the
 * automatic link ({@link LinkRefusedException}; its owner must sign in with the password — nothing is provisioned
 * either, so no second account appears under the same address); otherwise a new user is provisioned (role
 * patient, email verified when the provider says so).
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

    // A refused link wrote only its audit record, which must stay.
    @Transactional(noRollbackFor = LinkRefusedException.class)
    UserAccount linkOrProvision(String provider, OidcUser external) {
        String subject = external.getSubject();
        Optional<UserAccount> linked = jdbc.sql("select user_id from federated_identity where provider = ? and subject = ?")
                .params(provider, subject).query(UUID.class).optional().flatMap(users::findById);
        if (linked.isPresent()) {
            return enabled(linked.get());
        }
        String tenantKey = properties.federation().tenants().getOrDefault(provider, properties.defaultTenant());
        Tenant tenant = tenants.findEnabledByKey(tenantKey).orElseThrow(() -> new DisabledException("Unknown tenant"));
        String email = external.getEmail();
        boolean verifiedAtProvider = Boolean.TRUE.equals(external.getEmailVerified());
        Optional<UserAccount> byEmail = email != null ? users.findByEmail(tenant.id(), email) : Optional.empty();
        if (byEmail.isPresent() && !(verifiedAtProvider && byEmail.get().emailVerified())) {
            // The attack: an account registered under someone else's address, waiting for their federated login.
            audit.record("user.federated_link_refused", tenant.id(), byEmail.get().id(), provider, null,
                    verifiedAtProvider ? "local email not verified" : "provider email not verified");
            throw new LinkRefusedException();
        }
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
        if (email != null && Boolean.TRUE.equals(external.getEmailVerified())) {
            users.markEmailVerified(user.id());
        }
        roles.find(tenant.id(), Registration.DEFAULT_ROLE).ifPresent(r -> roles.grant(user.id(), r.id()));
        events.userRegistered(user.id(), tenant.id(), username);
        return user;
    }

    /**
     * A federated login that would link to a local account whose email is not verified: refused, and the browser
     * is sent to {@code /login?error=federation_link_refused}.
     */
    static final class LinkRefusedException extends org.springframework.security.core.AuthenticationException {
        static final String ERROR = "federation_link_refused";

        LinkRefusedException() {
            super("An account with this email exists and its email is not verified; sign in with its password");
        }
    }

    private static UserAccount enabled(UserAccount user) {
        if (!user.enabled()) {
            throw new DisabledException("Account disabled");
        }
        return user;
    }
}
