package com.clinicwave.auth.login;

import com.clinicwave.auth.audit.AuditLog;
import com.clinicwave.auth.config.AuthProperties;
import com.clinicwave.auth.events.AuthEvents;
import com.clinicwave.auth.tenant.Tenant;
import com.clinicwave.auth.tenant.TenantRepository;
import com.clinicwave.auth.user.UserAccount;
import com.clinicwave.auth.user.UserRepository;
import com.clinicwave.platform.web.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Checks a username and password for a tenant, shared by the first-party login API and the OAuth login page:
 * rate limits, lockout after repeated failures, hash upgrades. An unknown user, a wrong password and a locked (or
 * disabled) account look the same to the caller (issue 13, item 5): one answer, 401 {@code INVALID_CREDENTIALS},
 * after one argon2id computation in every case (a dummy hash for unknown users); the real reason is audited
 * ({@code login.failed} with "unknown user" / "wrong password", {@code login.locked}).
 */
@Service
public class LoginService {

    public static final String INVALID_CREDENTIALS = "INVALID_CREDENTIALS";
    public static final String PASSWORD_CHANGE_REQUIRED = "PASSWORD_CHANGE_REQUIRED";

    private final TenantRepository tenants;
    private final UserRepository users;
    private final PasswordEncoder passwords;
    private final LoginThrottle throttle;
    private final StringRedisTemplate redis;
    private final AuthProperties properties;
    private final AuthEvents events;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final String dummyHash;
    private final MeterRegistry meters;
    private final Counter lockouts;

    LoginService(TenantRepository tenants, UserRepository users, PasswordEncoder passwords, LoginThrottle throttle,
            StringRedisTemplate redis, AuthProperties properties, AuthEvents events, AuditLog audit,
            TransactionTemplate tx, Clock clock, MeterRegistry meters) {
        this.tenants = tenants;
        this.users = users;
        this.passwords = passwords;
        this.throttle = throttle;
        this.redis = redis;
        this.properties = properties;
        this.events = events;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.dummyHash = passwords.encode(UUID.randomUUID().toString());
        this.meters = meters;
        this.lockouts = Counter.builder("auth.lockouts").description("Accounts locked after repeated failures")
                .register(meters);
    }

    /** Logins by outcome (succeeded, failed, locked) for the operators' dashboard and the failure-spike alert. */
    private void count(String outcome) {
        Counter.builder("auth.logins").description("First-party logins by outcome").tag("outcome", outcome)
                .register(meters).increment();
    }

    public UserAccount authenticate(@Nullable String tenantKey, String username, String password, String ip) {
        Verified verified = check(tenantKey, username, password, ip);
        UserAccount user = verified.user();
        if (verified.mustChangePassword()) {
            // Only after the right password: the answer reveals nothing to someone who does not know it.
            audit.record("login.password_change_required", user.tenantId(), user.id(), username, ip, null);
            throw new ApiException(HttpStatus.FORBIDDEN, PASSWORD_CHANGE_REQUIRED,
                    "The password must be changed before signing in: POST /api/v1/auth/password");
        }
        return user;
    }

    /**
     * The credential check of {@link #authenticate} (throttle, lockout, one argon2id computation, audit) without the
     * must-change-password rule: for {@code POST /api/v1/auth/password}.
     */
    public UserAccount verify(@Nullable String tenantKey, String username, String password, String ip) {
        return check(tenantKey, username, password, ip).user();
    }

    /** A user whose password was right, and whether they must change it before signing in. */
    private record Verified(UserAccount user, boolean mustChangePassword) {
    }

    private Verified check(@Nullable String tenantKey, String username, String password, String ip) {
        String tenantName = tenantKey == null || tenantKey.isBlank() ? properties.defaultTenant() : tenantKey;
        throttle.check(ip, tenantName, username);
        Optional<Tenant> tenant = tenants.findEnabledByKey(tenantName);
        Optional<UserAccount> found = tenant.flatMap(t -> users.findByUsername(t.id(), username));
        if (found.isEmpty() || found.get().passwordHash() == null || !found.get().enabled()) {
            passwords.matches(password, dummyHash);
            audit.record("login.failed", tenant.map(Tenant::id).orElse(null), null, username, ip, "unknown user");
            count("failed");
            throw invalidCredentials();
        }
        UserAccount user = found.get();
        Instant now = clock.instant();
        if (user.lockedAt(now)) {
            // The same work and the same answer as a wrong password: a locked account is not revealed.
            passwords.matches(password, user.passwordHash());
            audit.record("login.locked", user.tenantId(), user.id(), username, ip, "account locked");
            count("locked");
            throw invalidCredentials();
        }
        if (!passwords.matches(password, user.passwordHash())) {
            recordFailure(user, ip, now);
            count("failed");
            throw invalidCredentials();
        }
        redis.delete(failuresKey(user.id()));
        if (passwords.upgradeEncoding(user.passwordHash())) {
            users.updatePasswordHash(user.id(), passwords.encode(password));
        }
        // One transaction, one commit: the login time (which answers the must-change flag in the same statement) and
        // the audit row (the login profile: two commits were a fifth of a login's non-hash time).
        boolean mustChange = Boolean.TRUE.equals(tx.execute(s -> {
            boolean required = users.recordLogin(user.id());
            audit.record("login.succeeded", user.tenantId(), user.id(), username, ip, null);
            return required;
        }));
        count("succeeded");
        return new Verified(user, mustChange);
    }

    private void recordFailure(UserAccount user, String ip, Instant now) {
        String key = failuresKey(user.id());
        Long failures = redis.opsForValue().increment(key);
        if (failures != null && failures == 1) {
            redis.expire(key, properties.lockout().window());
        }
        audit.record("login.failed", user.tenantId(), user.id(), user.username(), ip, "wrong password");
        if (failures != null && failures >= properties.lockout().maxFailures()) {
            Instant until = now.plus(properties.lockout().duration());
            tx.executeWithoutResult(s -> {
                users.lockUntil(user.id(), until);
                events.userLocked(user.id(), user.tenantId(), until);
            });
            redis.delete(key);
            audit.record("user.locked", user.tenantId(), user.id(), user.username(), ip, null);
            lockouts.increment();
        }
    }

    public void unlock(UserAccount user, String actor) {
        users.lockUntil(user.id(), null);
        redis.delete(failuresKey(user.id()));
        audit.record("user.unlocked", user.tenantId(), user.id(), actor, null, null);
    }

    private static String failuresKey(UUID userId) {
        return "auth:fail:" + userId;
    }

    static ApiException invalidCredentials() {
        return new ApiException(HttpStatus.UNAUTHORIZED, INVALID_CREDENTIALS, "Invalid username or password");
    }
}
