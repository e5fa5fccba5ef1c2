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

    /** Counts one hit on every key given (one round trip for a login's two limits): {count, pttl} per key. */
    private static final RedisScript<List> HIT = RedisScript.of("""
            local result = {}
            for _, key in ipairs(KEYS) do
              local n = redis.call('INCR', key)
              if n == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
              table.insert(result, n)
              table.insert(result, redis.call('PTTL', key))
            end
            return result
            """, List.class);

    private final StringRedisTemplate redis;
    private final AuthProperties.RateLimit limits;

    LoginThrottle(StringRedisTemplate redis, AuthProperties properties) {
        this.redis = redis;
        this.limits = properties.rateLimit();
    }

    /** Counts one attempt; throws RATE_LIMITED (429, Retry-After) when either limit is exceeded. */
    void check(String ip, String tenant, String username) {
        hit(List.of("auth:rl:ip:" + ip, "auth:rl:user:" + tenant + ":" + username.toLowerCase(Locale.ROOT)),
                limits.perIp(), limits.perUsername());
    }

    /** Counts one attempt of another kind (e.g. registration) against the client IP only. */
    void checkIp(String ip, String kind) {
        hit(List.of("auth:rl:" + kind + ":ip:" + ip), limits.perIp());
    }

    private void hit(List<String> keys, int... limitPerKey) {
        List<?> result = redis.execute(HIT, keys, Long.toString(limits.window().toMillis()));
        for (int i = 0; i < keys.size(); i++) {
            long count = ((Number) result.get(2 * i)).longValue();
            if (count > limitPerKey[i]) {
                long pttl = Math.max(1000, ((Number) result.get(2 * i + 1)).longValue());
                throw new RateLimitedException(Duration.ofMillis(pttl));
            }
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
