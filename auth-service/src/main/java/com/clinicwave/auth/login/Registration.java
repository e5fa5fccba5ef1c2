package com.clinicwave.auth.login;

import com.clinicwave.auth.audit.AuditLog;
import com.clinicwave.auth.config.AuthProperties;
import com.clinicwave.auth.events.AuthEvents;
import com.clinicwave.auth.tenant.Tenant;
import com.clinicwave.auth.tenant.TenantRepository;
import com.clinicwave.auth.user.RoleRepository;
import com.clinicwave.auth.user.UserAccount;
import com.clinicwave.auth.user.UserRepository;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Self-service sign-up in a tenant that allows it: password policy, unique username, default role {@code patient}. */
@Service
public class Registration {

    public static final String DEFAULT_ROLE = "patient";
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{2,63}");

    private final TenantRepository tenants;
    private final UserRepository users;
    private final RoleRepository roles;
    private final PasswordEncoder passwords;
    private final AuthEvents events;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final LoginThrottle throttle;
    private final AuthProperties properties;

    Registration(TenantRepository tenants, UserRepository users, RoleRepository roles, PasswordEncoder passwords,
            AuthEvents events, AuditLog audit, TransactionTemplate tx, LoginThrottle throttle,
            AuthProperties properties) {
        this.tenants = tenants;
        this.users = users;
        this.roles = roles;
        this.passwords = passwords;
        this.events = events;
        this.audit = audit;
        this.tx = tx;
        this.throttle = throttle;
        this.properties = properties;
    }

    public UserAccount register(@Nullable String tenantKey, String username, String password, @Nullable String email,
            String ip) {
        String tenantName = tenantKey == null || tenantKey.isBlank() ? properties.defaultTenant() : tenantKey;
        throttle.checkIp(ip, "register");
        if (!USERNAME.matcher(username).matches()) {
            throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "username: 3-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        checkPolicy(username, password);
        Tenant tenant = tenants.findEnabledByKey(tenantName)
                .orElseThrow(() -> ApiException.badRequest(ProblemCodes.VALIDATION_FAILED, "tenant: unknown tenant"));
        if (!tenant.openRegistration()) {
            // The tenant's policy, not the caller's permissions: seed 002's "policy violation".
            throw new ApiException(HttpStatus.FORBIDDEN, POLICY_VIOLATION, "Registration is closed for this tenant");
        }
        String hash = passwords.encode(password);
        return tx.execute(status -> {
            if (users.findByUsername(tenant.id(), username).isPresent()
                    || (email != null && users.findByEmail(tenant.id(), email).isPresent())) {
                throw ApiException.conflict("USER_EXISTS", "A user with this username or email already exists");
            }
            UserAccount user = users.create(tenant.id(), username, email, hash);
            roles.find(tenant.id(), DEFAULT_ROLE).ifPresent(r -> roles.grant(user.id(), r.id()));
            events.userRegistered(user.id(), tenant.id(), username);
            audit.record("user.registered", tenant.id(), user.id(), username, ip, null);
            return user;
        });
    }

    /** A password or tenant policy refused the request (seed 002, "policy violation"). */
    public static final String POLICY_VIOLATION = "POLICY_VIOLATION";

    /** At least 10 characters, a letter and a digit or symbol, and not the username: else 400 POLICY_VIOLATION. */
    static void checkPolicy(String username, String password) {
        boolean letter = password.chars().anyMatch(Character::isLetter);
        boolean other = password.chars().anyMatch(c -> !Character.isLetter(c));
        if (password.length() < 10 || !letter || !other
                || password.toLowerCase(Locale.ROOT).contains(username.toLowerCase(Locale.ROOT))) {
            throw ApiException.badRequest(POLICY_VIOLATION,
                    "password: at least 10 characters with a letter and a digit or symbol, not containing the username");
        }
    }
}
