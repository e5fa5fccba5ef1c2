package com.clinicwave.auth.oauth;

import com.clinicwave.auth.events.AuthEvents;
import com.clinicwave.auth.token.RevokedTokens;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationToken;

/**
 * RFC 7009 revocation of the JWT access tokens that have no stored authorization (client credentials, see
 * {@link StatelessClientCredentialsAuthorizationService}): the token must verify and have been issued to the
 * requesting client ({@code client_id} claim, otherwise {@code invalid_client} as for stored tokens); its
 * {@code jti} is denied until it expires and {@code token.revoked} is published. A token that does not verify
 * (unknown, expired, already revoked) is answered 200 with nothing to do. Stored tokens and JWTs without a
 * {@code client_id} are left to Spring Authorization Server's provider (the delegate) and {@link RevocationEvents}.
 * It wraps that provider rather than running before it: a provider manager would try the next provider after an
 * {@code invalid_client} thrown here, and the store-backed one answers 200 for a token it does not know.
 */
final class StatelessTokenRevocationProvider implements AuthenticationProvider {

    private final JwtDecoder decoder;
    private final OAuth2AuthorizationService authorizations;
    private final RevokedTokens revoked;
    private final AuthEvents events;
    private final AuthenticationProvider delegate;

    StatelessTokenRevocationProvider(JwtDecoder decoder, OAuth2AuthorizationService authorizations,
            RevokedTokens revoked, AuthEvents events, AuthenticationProvider delegate) {
        this.delegate = delegate;
        this.decoder = decoder;
        this.authorizations = authorizations;
        this.revoked = revoked;
        this.events = events;
    }

    @Override
    public @Nullable Authentication authenticate(Authentication authentication) {
        OAuth2TokenRevocationAuthenticationToken request = (OAuth2TokenRevocationAuthenticationToken) authentication;
        String token = request.getToken();
        if (token == null || token.chars().filter(c -> c == '.').count() != 2) {
            return delegate.authenticate(authentication);
        }
        if (!(request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client) || !client.isAuthenticated()
                || client.getRegisteredClient() == null) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        if (authorizations.findByToken(token, OAuth2TokenType.ACCESS_TOKEN) != null) {
            return delegate.authenticate(authentication);
        }
        Jwt jwt;
        try {
            jwt = decoder.decode(token);
        } catch (JwtException invalidExpiredOrAlreadyRevoked) {
            return done(request, client);
        }
        String clientId = jwt.getClaimAsString("client_id");
        if (clientId == null || jwt.getId() == null) {
            return delegate.authenticate(authentication);
        }
        if (!clientId.equals(client.getRegisteredClient().getClientId())) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        Instant expires = jwt.getExpiresAt() == null ? Instant.now().plusSeconds(3600) : jwt.getExpiresAt();
        revoked.revokeToken(jwt.getId(), expires);
        events.tokenRevoked(jwt.getId(), jwt.getClaimAsString("tid"), expires);
        return new OAuth2TokenRevocationAuthenticationToken(
                new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, token, jwt.getIssuedAt(), expires), client);
    }

    private static Authentication done(OAuth2TokenRevocationAuthenticationToken request,
            OAuth2ClientAuthenticationToken client) {
        return new OAuth2TokenRevocationAuthenticationToken(request.getToken(), client, request.getTokenTypeHint());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2TokenRevocationAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
