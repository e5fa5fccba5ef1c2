package com.clinicwave.auth.login;

import com.clinicwave.auth.admin.LiveTokens;
import com.clinicwave.auth.audit.AuditLog;
import com.clinicwave.auth.user.UserAccount;
import com.clinicwave.auth.user.UserRepository;
import com.clinicwave.platform.web.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A user replaces their password by proving the current one (the same throttled, locking check as a login). This is
 * how a bootstrapped or admin-created account, which must change its password first, becomes usable; every live
 * token of the user is revoked.
 */
@Service
public class PasswordChange {

    private final LoginService logins;
    private final UserRepository users;
    private final PasswordEncoder passwords;
    private final LiveTokens liveTokens;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    PasswordChange(LoginService logins, UserRepository users, PasswordEncoder passwords, LiveTokens liveTokens,
            AuditLog audit, TransactionTemplate tx) {
        this.logins = logins;
        this.users = users;
        this.passwords = passwords;
        this.liveTokens = liveTokens;
        this.audit = audit;
        this.tx = tx;
    }

    /** The password policy of registration: at least 10 characters, a letter and a digit or symbol, not the username. */
    public static void checkPolicy(String username, String password) {
        Registration.checkPolicy(username, password);
    }

    public void change(@Nullable String tenant, String username, String currentPassword, String newPassword, String ip) {
        checkPolicy(username, newPassword);
        if (newPassword.equals(currentPassword)) {
            throw ApiException.badRequest(Registration.POLICY_VIOLATION, "new_password: must differ from the current one");
        }
        UserAccount user = logins.verify(tenant, username, currentPassword, ip);
        String hash = passwords.encode(newPassword);
        tx.executeWithoutResult(s -> {
            users.updatePasswordHash(user.id(), hash);
            users.setMustChangePassword(user.id(), false);
            liveTokens.revokeUser(user.id(), user.tenantId());
            audit.record("user.password_changed", user.tenantId(), user.id(), username, ip, null);
        });
    }
}
