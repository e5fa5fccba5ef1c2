package com.clinicwave.auth.oauth;

import com.clinicwave.auth.config.SecretHashEncoder;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Keeps the OAuth token values out of the database: authorization codes, access, refresh and ID tokens are stored as
 * {@code sha256:<hex>} of their value (their metadata and claims as before), so a copy of the
 * {@code oauth2_authorization} table holds nothing a client could present. Spring Authorization Server stores them as
 * issued; this wraps its JDBC store.
 * <p>
 * A lookup by value hashes the value, and the authorization found carries the presented value again for that token,
 * so the providers that compare values ({@code authorization.getToken(value)}: introspection, revocation, OIDC
 * logout) work unchanged. Rows written before this existed were hashed in place by the migration
 * {@code V4__hash_oauth_token_values.sql} (same function: SHA-256 of the UTF-8 value, lower-case hex).
 */
final class HashedTokensAuthorizationService extends DelegatingAuthorizationService {

    static final String PREFIX = "sha256:";

    HashedTokensAuthorizationService(OAuth2AuthorizationService delegate) {
        super(delegate);
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        OAuth2Authorization.Builder hashed = OAuth2Authorization.from(authorization);
        boolean changed = false;
        for (Class<? extends OAuth2Token> type : HASHED_TYPES) {
            OAuth2Authorization.Token<? extends OAuth2Token> token = authorization.getToken(type);
            if (token != null && !token.getToken().getTokenValue().startsWith(PREFIX)) {
                hashed.token(withValue(token.getToken(), hash(token.getToken().getTokenValue())),
                        metadata -> metadata.putAll(token.getMetadata()));
                changed = true;
            }
        }
        delegate.save(changed ? hashed.build() : authorization);
    }

    @Override
    public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
        if (tokenType != null && !HASHED_TOKEN_TYPES.contains(tokenType.getValue())) {
            return delegate.findByToken(token, tokenType); // state, device codes: not hashed
        }
        String hash = hash(token);
        OAuth2Authorization found = delegate.findByToken(hash, tokenType);
        OAuth2Authorization.Token<OAuth2Token> stored = found == null ? null : found.getToken(hash);
        if (stored == null) {
            return found;
        }
        return OAuth2Authorization.from(found).token(withValue(stored.getToken(), token),
                metadata -> metadata.putAll(stored.getMetadata())).build();
    }

    static String hash(String value) {
        return PREFIX + SecretHashEncoder.sha256(value);
    }

    private static final List<Class<? extends OAuth2Token>> HASHED_TYPES = List.of(
            OAuth2AuthorizationCode.class, OAuth2AccessToken.class, OAuth2RefreshToken.class, OidcIdToken.class);

    private static final Set<String> HASHED_TOKEN_TYPES = Set.of(OAuth2ParameterNames.CODE,
            OAuth2TokenType.ACCESS_TOKEN.getValue(), OAuth2TokenType.REFRESH_TOKEN.getValue(), OidcParameterNames.ID_TOKEN);

    /** The same token (type, times, scopes, claims) with another value. */
    private static OAuth2Token withValue(OAuth2Token token, String value) {
        return switch (token) {
            case OAuth2AuthorizationCode code -> new OAuth2AuthorizationCode(value, code.getIssuedAt(), code.getExpiresAt());
            case OAuth2AccessToken access -> new OAuth2AccessToken(access.getTokenType(), value, access.getIssuedAt(),
                    access.getExpiresAt(), access.getScopes());
            case OAuth2RefreshToken refresh -> new OAuth2RefreshToken(value, refresh.getIssuedAt(), refresh.getExpiresAt());
            case OidcIdToken id -> new OidcIdToken(value, id.getIssuedAt(), id.getExpiresAt(), id.getClaims());
            default -> token;
        };
    }
}
