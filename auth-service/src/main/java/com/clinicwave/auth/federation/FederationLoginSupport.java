package com.clinicwave.auth.federation;

import com.clinicwave.auth.login.page.FormLoginProvider;
import com.clinicwave.auth.user.UserAccount;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * Sign-in through an external OpenID Connect provider (spring.security.oauth2.client.registration.*): after the
 * provider's login the external account is linked to, or provisioned as, a local user of the tenant mapped to that
 * provider, and the SSO session continues as that local user — tokens never carry the external identity.
 */
@Component
public class FederationLoginSupport {

    private final ObjectProvider<ClientRegistrationRepository> registrations;
    private final FederatedUsers users;

    FederationLoginSupport(ObjectProvider<ClientRegistrationRepository> registrations, FederatedUsers users) {
        this.registrations = registrations;
        this.users = users;
    }

    public void configure(HttpSecurity http) throws Exception {
        if (registrations.getIfAvailable() == null) {
            return;
        }
        HttpSessionSecurityContextRepository repository = new HttpSessionSecurityContextRepository();
        SavedRequestAwareAuthenticationSuccessHandler next = new SavedRequestAwareAuthenticationSuccessHandler();
        http.oauth2Login(login -> login.loginPage("/login")
                .failureUrl("/login?error")
                .successHandler((request, response, authentication) -> {
                    OAuth2AuthenticationToken external = (OAuth2AuthenticationToken) authentication;
                    OidcUser oidc = (OidcUser) external.getPrincipal();
                    UserAccount user;
                    try {
                        user = users.linkOrProvision(external.getAuthorizedClientRegistrationId(), oidc);
                    } catch (FederatedUsers.LinkRefusedException refused) {
                        // Nothing signed in: the external login does not become a local session.
                        signOut(request);
                        response.sendRedirect(request.getContextPath() + "/login?error="
                                + FederatedUsers.LinkRefusedException.ERROR);
                        return;
                    } catch (AuthenticationException disabled) {
                        signOut(request);
                        response.sendRedirect(request.getContextPath() + "/login?error");
                        return;
                    }
                    Authentication local = FormLoginProvider.authenticated(user, request.getRemoteAddr(),
                            FactorGrantedAuthority.AUTHORIZATION_CODE_AUTHORITY);
                    SecurityContext context = SecurityContextHolder.createEmptyContext();
                    context.setAuthentication(local);
                    SecurityContextHolder.setContext(context);
                    repository.saveContext(context, request, response);
                    next.onAuthenticationSuccess(request, response, local);
                }));
    }

    /** Drops the external sign-in that the login filter already stored in the session. */
    private static void signOut(jakarta.servlet.http.HttpServletRequest request) {
        SecurityContextHolder.clearContext();
        jakarta.servlet.http.HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }
}
