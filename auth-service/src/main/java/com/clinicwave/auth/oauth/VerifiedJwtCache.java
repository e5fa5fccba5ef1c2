package com.clinicwave.auth.oauth;

import com.clinicwave.auth.config.SecretHashEncoder;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Decodes this service's own JWTs, remembering for a short time which token strings already passed the signature,
 * issuer and audience checks (keyed by the token's SHA-256, never the token itself, bounded in size): an
 * introspection of a token seen before costs no signature verification. What can change while a token lives is
 * checked on every use, cached or not: its time window and the revocation denylist.
 */
final class VerifiedJwtCache implements JwtDecoder {

    private final JwtDecoder verifying;
    private final OAuth2TokenValidator<Jwt> everyUse;
    private final Cache<String, Jwt> verified;

    /**
     * @param verifying decodes and checks the signature and the fixed claims (issuer, audience, time)
     * @param everyUse  what is checked again on each use (time window, revocation)
     */
    VerifiedJwtCache(JwtDecoder verifying, OAuth2TokenValidator<Jwt> everyUse, int maximumSize, Duration ttl) {
        this.verifying = verifying;
        this.everyUse = everyUse;
        this.verified = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(ttl).build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        String key = SecretHashEncoder.sha256(token);
        Jwt jwt = verified.getIfPresent(key);
        if (jwt == null) {
            jwt = verifying.decode(token);
            verified.put(key, jwt);
        }
        OAuth2TokenValidatorResult result = everyUse.validate(jwt);
        if (result.hasErrors()) {
            String description = result.getErrors().iterator().next().getDescription();
            throw new JwtValidationException(description == null ? "The token is not valid" : description,
                    result.getErrors());
        }
        return jwt;
    }

    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }
}
