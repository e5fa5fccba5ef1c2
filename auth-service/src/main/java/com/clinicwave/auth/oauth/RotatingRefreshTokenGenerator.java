package com.clinicwave.auth.oauth;

import com.clinicwave.auth.config.SecretHashEncoder;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Refresh tokens for the OAuth endpoints, public clients included (RFC 9700 §2.2.2 allows them when rotated with
 * reuse detection, which Spring Authorization Server does not do): a rotation keeps the family's original expiry
 * (absolute lifetime) and records the replaced token so {@link ReuseDetectingAuthorizationService} recognises a
 * replay and revokes the family.
 */
final class RotatingRefreshTokenGenerator implements OAuth2TokenGenerator<OAuth2RefreshToken> {

    static final String ROTATED_PREFIX = "auth:oauth-rotated:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StringRedisTemplate redis;
    private final Clock clock;

    RotatingRefreshTokenGenerator(StringRedisTemplate redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    @Override
    public @Nullable OAuth2RefreshToken generate(OAuth2TokenContext context) {
        if (!OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType())) {
            return null;
        }
        Instant now = clock.instant();
        Instant expiresAt = now.plus(context.getRegisteredClient().getTokenSettings().getRefreshTokenTimeToLive());
        OAuth2Authorization authorization = context.getAuthorization();
        if (AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType()) && authorization != null
                && authorization.getRefreshToken() != null) {
            OAuth2RefreshToken previous = authorization.getRefreshToken().getToken();
            if (previous.getExpiresAt() != null) {
                expiresAt = previous.getExpiresAt();
            }
            Duration keep = Duration.between(now, expiresAt);
            if (!keep.isNegative() && !keep.isZero()) {
                redis.opsForValue().set(ROTATED_PREFIX + SecretHashEncoder.sha256(previous.getTokenValue()),
                        authorization.getId(), keep);
            }
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new OAuth2RefreshToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), now, expiresAt);
    }
}
