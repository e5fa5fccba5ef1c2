package com.clinicwave.auth.oauth;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Does not store the authorizations of the client credentials grant whose access token is a self-contained JWT
 * (Spring Authorization Server would insert one row per issued token): such a token carries everything needed to
 * check it. Introspection verifies the JWT itself ({@link JwtIntrospectionProvider}) and revocation puts its
 * {@code jti} on the denylist ({@link StatelessTokenRevocationProvider}); every other authorization (codes, user
 * tokens, refresh families) is stored as before.
 */
final class StatelessClientCredentialsAuthorizationService extends DelegatingAuthorizationService {

    StatelessClientCredentialsAuthorizationService(OAuth2AuthorizationService delegate) {
        super(delegate);
    }

    static boolean stateless(OAuth2Authorization authorization) {
        if (!AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())
                || authorization.getRefreshToken() != null) {
            return false;
        }
        OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
        // Self-contained: the JWT generator records the token's claims, among them the jti the denylist needs.
        return access != null && access.getClaims() != null && access.getClaims().get("jti") != null;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        if (!stateless(authorization)) {
            delegate.save(authorization);
        }
    }
}
