package com.clinicwave.auth.oauth;

import com.clinicwave.auth.keys.SigningKeys;
import com.clinicwave.auth.token.AccessTokens;
import com.clinicwave.auth.user.Grants;
import com.clinicwave.auth.user.UserAccount;
import com.clinicwave.auth.user.UserRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Gives tokens issued by the OAuth endpoints the claims of docs/contracts.md, like the first-party ones: {@code aud}
 * {@code clinicwave-api} ({@code clinicwave-internal} only for internal clients), {@code scope} as a string, and
 * for users {@code tid}, {@code tenant}, {@code roles}, {@code permissions} (the user's permissions the client was
 * granted as scopes; {@code scope} is narrowed the same way) and {@code sid} (the authorization,
 * i.e. the refresh family); ID tokens get the profile claims. Every token is signed with the active key's {@code kid}:
 * access tokens with the configured access-token algorithm, ID tokens with RS256.
 */
final class ClinicWaveTokenCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

    /** Scopes about the OpenID Connect protocol itself, not permissions: kept whatever the user's roles. */
    static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "email", "offline_access");

    private final UserRepository users;
    private final SigningKeys keys;
    private final Predicate<UUID> tenantEnabled;

    ClinicWaveTokenCustomizer(UserRepository users, SigningKeys keys, Predicate<UUID> tenantEnabled) {
        this.users = users;
        this.keys = keys;
        this.tenantEnabled = tenantEnabled;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        var claims = context.getClaims();
        if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            String algorithm = keys.accessTokenAlgorithm();
            context.getJwsHeader().algorithm(SignatureAlgorithm.from(algorithm)).keyId(keys.active(algorithm).getKeyID());
        } else {
            context.getJwsHeader().keyId(keys.active().getKeyID());
        }
        // No scope requested with client credentials: a service gets its registered scopes (RFC 6749 §3.3 default).
        Set<String> scopes = context.getAuthorizedScopes().isEmpty()
                && AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())
                ? context.getRegisteredClient().getScopes() : context.getAuthorizedScopes();
        Optional<UserAccount> user = user(context.getPrincipal());
        TenantClients.enforce(context.getRegisteredClient(), user.orElse(null), context.getAuthorizationGrantType(),
                java.time.Instant.now(), tenantEnabled);
        if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            if (InternalClients.isInternal(context.getRegisteredClient())) {
                // Internal service identities: only the internal audience, which no public route accepts.
                claims.audience(List.of(InternalClients.AUDIENCE));
            } else {
                List<String> audience = new ArrayList<>(List.of(AccessTokens.AUDIENCE));
                audience.add(context.getRegisteredClient().getClientId());
                claims.audience(audience);
            }
            claims.claim("scope", String.join(" ", scopes));
            claims.claim("client_id", context.getRegisteredClient().getClientId());
            if (claims.build().getId() == null) {
                claims.id(UUID.randomUUID().toString());
            }
            if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
                // A tenant's own service client acts for that tenant only: its tokens carry the tenant like a user's.
                if (TenantClients.tenantId(context.getRegisteredClient()) != null) {
                    claims.claim("tid", TenantClients.tenantId(context.getRegisteredClient()));
                    claims.claim("tenant", TenantClients.tenantKey(context.getRegisteredClient()));
                    // Disabling the client (or its tenant) denies this sid: its live tokens die at once.
                    claims.claim("sid", TenantClients.tokenGeneration(context.getRegisteredClient()));
                }
                return;
            }
            user.ifPresent(u -> {
                Grants grants = users.grants(u.id());
                // Effective = granted scopes ∩ what the user's roles give (plus the OpenID Connect scopes): a scope
                // the client may ask for but the user's roles do not give never reaches the token, neither as a
                // scope (resource servers turn scopes into SCOPE_ authorities) nor as a permission.
                List<String> effective = scopes.stream()
                        .filter(s -> OIDC_SCOPES.contains(s) || grants.permissions().contains(s)).sorted().toList();
                claims.claim("scope", String.join(" ", effective));
                claims.claim("tid", u.tenantId().toString());
                claims.claim("tenant", u.tenantKey());
                claims.claim("preferred_username", u.username());
                claims.claim("roles", new ArrayList<>(grants.roles()));
                claims.claim("permissions", new ArrayList<>(grants.permissions().stream().filter(scopes::contains).toList()));
                if (context.getAuthorization() != null) {
                    claims.claim("sid", context.getAuthorization().getId());
                }
            });
        } else if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
            user.ifPresent(u -> {
                claims.claim("tid", u.tenantId().toString());
                claims.claim("tenant", u.tenantKey());
                // Seed 001: the ID token tells the client what the user may do (the same effective set as the
                // access token: the user's permissions the client was granted as scopes).
                Grants grants = users.grants(u.id());
                claims.claim("roles", new ArrayList<>(grants.roles()));
                claims.claim("permissions", new ArrayList<>(grants.permissions().stream().filter(scopes::contains).toList()));
                if (scopes.contains("profile")) {
                    claims.claim("preferred_username", u.username());
                }
                if (scopes.contains("email") && u.email() != null) {
                    claims.claim("email", u.email());
                    claims.claim("email_verified", u.emailVerified());
                }
            });
        }
    }

    private Optional<UserAccount> user(Authentication principal) {
        if (principal == null || principal instanceof OAuth2ClientAuthenticationToken) {
            return Optional.empty();
        }
        try {
            return users.findById(UUID.fromString(principal.getName()));
        } catch (IllegalArgumentException notAUserId) {
            return Optional.empty();
        }
    }
}
