package com.clinicwave.sandbox.athena;

import com.clinicwave.sandbox.config.SandboxProperties;
import com.clinicwave.sandbox.web.ProblemWithHeaders;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** athenahealth's per-second quota, per access token: a fixed one-second window. */
@Component
public class RateLimiter {

    private final Clock clock;
    private final int perSecond;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    RateLimiter(Clock clock, SandboxProperties properties) {
        this.clock = clock;
        this.perSecond = properties.athena().rateLimitPerSecond();
    }

    /** Counts one call for this token, or answers 429 with {@code Retry-After}. */
    public void acquire(String token) {
        long now = clock.millis();
        long second = now / 1000;
        if (windows.size() > 10_000) {
            windows.values().removeIf(w -> w.second() < second);
        }
        Window window = windows.compute(token, (key, old) -> old == null || old.second() != second
                ? new Window(second, 1) : new Window(second, old.count() + 1));
        if (window.count() > perSecond) {
            long retryAfter = Math.max(1, (1000 - now % 1000 + 999) / 1000);
            throw ProblemWithHeaders.rateLimited("athenahealth allows " + perSecond + " calls per second per token",
                    retryAfter);
        }
    }

    private record Window(long second, int count) {
    }
}
