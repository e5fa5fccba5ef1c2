package com.clinicwave.auth.oauth;

import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;

/**
 * The token response's {@code scope} is the access token's own {@code scope} claim: the granted scopes narrowed to
 * what the user's roles give ({@link ClinicWaveTokenCustomizer}). Spring Authorization Server would answer the
 * granted scopes, so a client would believe its token holds scopes it does not (RFC 6749 §5.1: the response names
 * the scope actually issued).
 */
final class EffectiveScopesInTokenResponse implements Consumer<OAuth2AccessTokenAuthenticationContext> {

    @Override
    public void accept(OAuth2AccessTokenAuthenticationContext context) {
        OAuth2AccessTokenAuthenticationToken issued = context.getAuthentication();
        String value = issued.getAccessToken().getTokenValue();
        try {
            // A token this service has just signed: its claims are read, not verified again.
            Object scope = SignedJWT.parse(value).getJWTClaimsSet().getClaim("scope");
            if (scope instanceof String s) {
                Set<String> scopes = new LinkedHashSet<>(Arrays.stream(s.split(" ")).filter(x -> !x.isBlank()).toList());
                context.getAccessTokenResponse().scopes(scopes);
            }
        } catch (ParseException notAJwt) {
            // Not a JWT: nothing to narrow.
        }
    }
}
