package com.clinicwave.auth.oauth;

import com.clinicwave.auth.config.AuthProperties;
import com.clinicwave.auth.events.AuthEvents;
import com.clinicwave.auth.token.RevokedTokens;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/**
 * After a successful RFC 7009 revocation: a revoked refresh token ends its family ({@code session.revoked}, sid = the
 * authorization id); a revoked access token is announced as {@code token.revoked}; both are denied here until expiry.
 */
final class RevocationEvents implements AuthenticationSuccessHandler {

    private final OAuth2AuthorizationService authorizations;
    private final AuthEvents events;
    private final RevokedTokens revoked;
    private final AuthProperties properties;

    RevocationEvents(OAuth2AuthorizationService authorizations, AuthEvents events, RevokedTokens revoked,
            AuthProperties properties) {
        this.authorizations = authorizations;
        this.events = events;
        this.revoked = revoked;
        this.properties = properties;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) {
        OAuth2TokenRevocationAuthenticationToken revocation = (OAuth2TokenRevocationAuthenticationToken) authentication;
        OAuth2Authorization authorization = authorizations.findByToken(revocation.getToken(), null);
        if (authorization != null) {
            OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
            OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
            if (refresh != null && refresh.getToken().getTokenValue().equals(revocation.getToken())) {
                Instant until = Instant.now().plus(properties.accessTokenTtl());
                revoked.revokeSession(authorization.getId(), until);
                events.sessionRevoked(authorization.getId(), authorization.getPrincipalName(), null, until);
            } else if (access != null && access.getToken().getTokenValue().equals(revocation.getToken())
                    && access.getClaims() != null && access.getClaims().get("jti") != null) {
                String jti = access.getClaims().get("jti").toString();
                Instant expires = access.getToken().getExpiresAt() == null ? Instant.now().plus(properties.accessTokenTtl())
                        : access.getToken().getExpiresAt();
                revoked.revokeToken(jti, expires);
                events.tokenRevoked(jti, null, expires);
            }
        }
        response.setStatus(HttpServletResponse.SC_OK);
    }
}
