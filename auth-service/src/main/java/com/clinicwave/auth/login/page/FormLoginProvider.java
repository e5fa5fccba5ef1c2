package com.clinicwave.auth.login.page;

import com.clinicwave.auth.config.PasswordHashingBusyException;
import com.clinicwave.auth.login.LoginService;
import com.clinicwave.auth.user.UserAccount;
import com.clinicwave.platform.web.ApiException;
import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Authenticates the login page through {@link LoginService} (same rate limits, lockout and audit as the API). The
 * resulting principal is named by the user id, which is what OAuth authorizations and tokens carry as {@code sub}.
 */
@Component
public class FormLoginProvider implements AuthenticationProvider {

    /** {@code /login?error=busy}: every password-hashing slot was taken (503 PASSWORD_HASHING_BUSY in the API). */
    public static final String BUSY_ERROR = "busy";

    private final LoginService logins;

    FormLoginProvider(LoginService logins) {
        this.logins = logins;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String tenant = null;
        String ip = "unknown";
        if (authentication.getDetails() instanceof TenantAuthenticationDetails details) {
            tenant = details.tenant();
            ip = details.getRemoteAddress();
        }
        String password = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
        try {
            UserAccount user = logins.authenticate(tenant, authentication.getName(), password, ip);
            return authenticated(user, ip, FactorGrantedAuthority.PASSWORD_AUTHORITY);
        } catch (PasswordHashingBusyException e) {
            throw new HashingBusy(e);
        } catch (ApiException e) {
            // One answer for unknown user, wrong password and locked account (LoginService audits which).
            throw new BadCredentialsException(e.getMessage());
        }
    }

    /** The session principal for a local user (also used after a federated login). */
    public static Authentication authenticated(UserAccount user, String ip, String factor) {
        List<SimpleGrantedAuthority> roles = List.of(new SimpleGrantedAuthority("ROLE_USER"));
        User principal = new User(user.id().toString(), "", roles);
        // The factor authority carries the authentication time (the ID token's auth_time).
        List<GrantedAuthority> authorities = List.of(roles.get(0), FactorGrantedAuthority.fromAuthority(factor));
        UsernamePasswordAuthenticationToken token = UsernamePasswordAuthenticationToken.authenticated(principal, null,
                authorities);
        token.setDetails(new WebAuthenticationDetails(ip, null));
        return token;
    }

    /** Nothing was checked: the page says to retry (see WebSecurityConfig's failure handler), not "wrong password". */
    public static final class HashingBusy extends AuthenticationServiceException {
        HashingBusy(PasswordHashingBusyException cause) {
            super(cause.getMessage(), cause);
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
