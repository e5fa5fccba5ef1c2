package com.clinicwave.auth.login;

import com.clinicwave.auth.config.AuthProperties;
import com.clinicwave.platform.web.ProblemCodes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/** Fixed-window login rate limits per client IP and per (tenant, username), counted in Redis. */
@Component
public class LoginThrottle {

    private static final RedisScript<List> HIT = RedisScript.of("""
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return {n, redis.call('PTTL', KEYS[1])}
            """, List.class);

    private final StringRedisTemplate redis;
    private final AuthProperties.RateLimit limits;

    LoginThrottle(StringRedisTemplate redis, AuthProperties properties) {
        this.redis = redis;
        this.limits = properties.rateLimit();
    }

    /** Counts one attempt; throws RATE_LIMITED (429, Retry-After) when either limit is exceeded. */
    void check(String ip, String tenant, String username) {
        hit("auth:rl:ip:" + ip, limits.perIp());
        hit("auth:rl:user:" + tenant + ":" + username.toLowerCase(Locale.ROOT), limits.perUsername());
    }

    /** Counts one attempt of another kind (e.g. registration) against the client IP only. */
    void checkIp(String ip, String kind) {
        hit("auth:rl:" + kind + ":ip:" + ip, limits.perIp());
    }

    private void hit(String key, int limit) {
        List<?> result = redis.execute(HIT, List.of(key), Long.toString(limits.window().toMillis()));
        long count = ((Number) result.get(0)).longValue();
        if (count > limit) {
            long pttl = Math.max(1000, ((Number) result.get(1)).longValue());
            throw new RateLimitedException(Duration.ofMillis(pttl));
        }
    }

    /** Too many attempts; carries the wait. */
    public static final class RateLimitedException extends com.clinicwave.platform.web.ApiException {
        private final Duration retryAfter;

        RateLimitedException(Duration retryAfter) {
            super(org.springframework.http.HttpStatus.TOO_MANY_REQUESTS, ProblemCodes.RATE_LIMITED,
                    "Too many login attempts; retry later");
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }
}
