package com.clinicwave.auth.token;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Denylist of revoked sessions ({@code sid}) and access tokens ({@code jti}) in Redis, kept until the tokens
 * concerned expire; also a validator so auth-service itself refuses them (other services learn it from events).
 */
@Component
public class RevokedTokens implements OAuth2TokenValidator<Jwt> {

    private final StringRedisTemplate redis;

    RevokedTokens(StringRedisTemplate redis) {
        this.redis = redis;
    }

    public void revokeSession(String sid, Instant until) {
        put("auth:revoked-sid:" + sid, until);
    }

    public void revokeToken(String jti, Instant until) {
        put("auth:revoked-jti:" + jti, until);
    }

    private void put(String key, Instant until) {
        Duration ttl = Duration.between(Instant.now(), until);
        if (!ttl.isNegative() && !ttl.isZero()) {
            redis.opsForValue().set(key, "1", ttl.plusSeconds(30));
        }
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt jwt) {
        String sid = jwt.getClaimAsString("sid");
        String jti = jwt.getId();
        List<String> keys = new ArrayList<>(2);
        if (sid != null) {
            keys.add("auth:revoked-sid:" + sid);
        }
        if (jti != null) {
            keys.add("auth:revoked-jti:" + jti);
        }
        // One round trip (EXISTS k1 k2) for both the session and the token entry.
        Long found = keys.isEmpty() ? Long.valueOf(0) : redis.countExistingKeys(keys);
        boolean revoked = found != null && found > 0;
        return revoked
                ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "The token has been revoked", null))
                : OAuth2TokenValidatorResult.success();
    }
}
