package com.clinicwave.auth.oauth;

import com.clinicwave.auth.audit.AuditLog;
import com.clinicwave.auth.config.AuthProperties;
import com.clinicwave.auth.config.SecretHashEncoder;
import com.clinicwave.auth.events.AuthEvents;
import com.clinicwave.auth.token.RevokedTokens;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Wraps the JDBC authorization store with refresh-token reuse detection: a refresh token that was rotated away and
 * is presented again revokes its whole authorization (the family: current refresh and access tokens), and the
 * revocation is announced as {@code session.revoked}.
 */
final class ReuseDetectingAuthorizationService extends DelegatingAuthorizationService {

    private static final Logger log = LoggerFactory.getLogger(ReuseDetectingAuthorizationService.class);

    private final StringRedisTemplate redis;
    private final AuthEvents events;
    private final RevokedTokens revoked;
    private final AuditLog audit;
    private final AuthProperties properties;

    ReuseDetectingAuthorizationService(OAuth2AuthorizationService delegate, StringRedisTemplate redis,
            AuthEvents events, RevokedTokens revoked, AuditLog audit, AuthProperties properties) {
        super(delegate);
        this.redis = redis;
        this.events = events;
        this.revoked = revoked;
        this.audit = audit;
        this.properties = properties;
    }

    @Override
    public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
        OAuth2Authorization found = delegate.findByToken(token, tokenType);
        if (found == null && (tokenType == null || OAuth2TokenType.REFRESH_TOKEN.equals(tokenType))) {
            String familyId = redis.opsForValue().get(RotatingRefreshTokenGenerator.ROTATED_PREFIX
                    + SecretHashEncoder.sha256(token));
            if (familyId != null) {
                revokeFamily(familyId);
            }
        }
        return found;
    }

    /** Removes the family and denies its access tokens until they expire. */
    void revokeFamily(String familyId) {
        OAuth2Authorization family = delegate.findById(familyId);
        Instant until = Instant.now().plus(properties.accessTokenTtl());
        revoked.revokeSession(familyId, until);
        if (family != null) {
            delegate.remove(family);
            events.sessionRevoked(familyId, family.getPrincipalName(), null, until);
            audit.record("refresh_token.reused", null, null, family.getRegisteredClientId(), null,
                    "family " + familyId + " revoked");
            log.warn("Refresh token replay detected; authorization {} revoked", familyId);
        }
    }
}
