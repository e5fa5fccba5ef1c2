package com.clinicwave.auth.oauth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;

/**
 * Introspects this service's JWT access tokens (OAuth, first-party and API-key exchange alike) from the token itself:
 * signature, issuer, audience, time and the Redis revocation denylist (which every revocation path feeds) — no
 * database round trip. Anything that is not a JWT (refresh tokens) falls through to Spring Authorization Server's
 * store-backed introspection. A tenant's own client (registered by its administrators) introspects only its
 * tenant's tokens — another tenant's token is answered {@code {"active": false}}, so introspection is no oracle across
 * tenants — and learns nothing ({@code active: false}) while it, or its tenant, is disabled.
 */
final class JwtIntrospectionProvider implements AuthenticationProvider {

    private final JwtDecoder decoder;
    private final Predicate<UUID> tenantEnabled;

    JwtIntrospectionProvider(JwtDecoder decoder, Predicate<UUID> tenantEnabled) {
        this.decoder = decoder;
        this.tenantEnabled = tenantEnabled;
    }

    @Override
    public @Nullable Authentication authenticate(Authentication authentication) {
        OAuth2TokenIntrospectionAuthenticationToken request = (OAuth2TokenIntrospectionAuthenticationToken) authentication;
        String token = request.getToken();
        if (token == null || token.chars().filter(c -> c == '.').count() != 2) {
            return null;
        }
        if (!(request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client) || !client.isAuthenticated()) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        RegisteredClient caller = client.getRegisteredClient();
        String callerTenant = caller == null ? null : TenantClients.tenantId(caller);
        OAuth2TokenIntrospection claims;
        try {
            Jwt jwt = decoder.decode(token);
            // (Answered here, not thrown: the provider manager would hand a thrown error to the next provider.)
            if (callerTenant != null && (!callerTenant.equals(jwt.getClaimAsString("tid"))
                    || !TenantClients.usable(caller, tenantEnabled))) {
                return new OAuth2TokenIntrospectionAuthenticationToken(token, client,
                        OAuth2TokenIntrospection.builder().build());
            }
            OAuth2TokenIntrospection.Builder builder = OAuth2TokenIntrospection.builder(true)
                    .tokenType("Bearer")
                    .subject(jwt.getSubject())
                    .id(jwt.getId());
            if (jwt.getAudience() != null) {
                builder.audiences(a -> a.addAll(jwt.getAudience()));
            }
            set(builder, OAuth2TokenIntrospectionClaimNames.ISS, jwt.getIssuer() == null ? null : jwt.getIssuer().toString());
            setTime(builder, OAuth2TokenIntrospectionClaimNames.EXP, jwt.getExpiresAt());
            setTime(builder, OAuth2TokenIntrospectionClaimNames.IAT, jwt.getIssuedAt());
            setTime(builder, OAuth2TokenIntrospectionClaimNames.NBF, jwt.getNotBefore());
            Object scope = jwt.getClaim("scope");
            if (scope instanceof String s && !s.isBlank()) {
                builder.scopes(set -> set.addAll(List.of(s.split(" "))));
            } else if (scope instanceof Collection<?> values) {
                builder.scopes(set -> values.forEach(v -> set.add(String.valueOf(v))));
            }
            for (String name : List.of("client_id", "tid", "tenant", "sid", "preferred_username", "api_key_id")) {
                set(builder, name, jwt.getClaimAsString(name));
            }
            for (String name : List.of("roles", "permissions")) {
                if (jwt.getClaim(name) instanceof Collection<?> values) {
                    builder.claim(name, new ArrayList<>(values));
                }
            }
            claims = builder.build();
        } catch (JwtException invalid) {
            claims = OAuth2TokenIntrospection.builder().build();
        }
        return new OAuth2TokenIntrospectionAuthenticationToken(token, client, claims);
    }

    private static void set(OAuth2TokenIntrospection.Builder builder, String name, @Nullable String value) {
        if (value != null) {
            builder.claim(name, value);
        }
    }

    private static void setTime(OAuth2TokenIntrospection.Builder builder, String name, @Nullable Instant value) {
        if (value != null) {
            builder.claim(name, value);
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2TokenIntrospectionAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
