package com.clinicwave.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Request limits counted in Redis ({@code clinicwave.gateway.rate-limit.*}): per principal or API key when
 * authenticated, per client IP when anonymous, and a stricter per-IP limit on the credential endpoints (login,
 * registration, token) against guessing and floods.
 */
@ConfigurationProperties("clinicwave.gateway.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("clinicwave:gateway:rl:") String redisKeyPrefix,
        @Nullable Policy authenticated,
        @Nullable Policy anonymous,
        @Nullable Policy credentials,
        @DefaultValue({"/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/auth/refresh", "/oauth2/token"})
        List<String> credentialPaths) {

    public RateLimitProperties {
        authenticated = authenticated != null ? authenticated : new Policy(1200, Duration.ofMinutes(1));
        anonymous = anonymous != null ? anonymous : new Policy(300, Duration.ofMinutes(1));
        credentials = credentials != null ? credentials : new Policy(20, Duration.ofMinutes(1));
    }

    /** At most {@code limit} requests per {@code window}. */
    public record Policy(int limit, Duration window) {
    }
}
