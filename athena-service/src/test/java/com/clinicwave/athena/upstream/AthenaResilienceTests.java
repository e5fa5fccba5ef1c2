package com.clinicwave.athena.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clinicwave.athena.config.AthenaProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which failures are retried, and the per-call time budget, without a network. */
class AthenaResilienceTests {

    private final AthenaResilience resilience = new AthenaResilience(properties(Duration.ofMillis(500)),
            new SimpleMeterRegistry());
    private final AtomicInteger attempts = new AtomicInteger();

    private static AthenaProperties properties(Duration budget) {
        return new AthenaProperties(URI.create("http://provider-connection-service"),
                Duration.ofSeconds(30), Duration.ofSeconds(60), null,
                new AthenaProperties.Upstream(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2),
                        budget, 3, Duration.ofMillis(200), Duration.ofSeconds(1), 1000, Duration.ofSeconds(1), 10,
                        Duration.ZERO, 50, 100, 100, Duration.ofMinutes(1)));
    }

    @AfterEach
    void close() {
        resilience.destroy();
    }

    @Test
    void aServerFailureIsRetriedUntilTheBudgetIsSpent() {
        assertThatThrownBy(() -> resilience.call("budget", () -> {
            attempts.incrementAndGet();
            throw new UpstreamException.Failure("503");
        })).isInstanceOf(UpstreamException.BudgetExhausted.class);
        // Attempts at 0 ms and after the 200 ms backoff; the next, after 400 ms more, would start past the 500 ms budget.
        assertThat(attempts).hasValue(2);
    }

    @Test
    void aRefusedTokenIsNotRetried() {
        assertThatThrownBy(() -> resilience.call("unauthorized", () -> {
            attempts.incrementAndGet();
            throw new UpstreamException.Unauthorized();
        })).isInstanceOf(UpstreamException.Unauthorized.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aRetryAfterLongerThanAllowedIsNotWaitedFor() {
        assertThatThrownBy(() -> resilience.call("long-wait", () -> {
            attempts.incrementAndGet();
            throw new UpstreamException.RateLimited(Duration.ofSeconds(30));
        })).isInstanceOf(UpstreamException.RateLimited.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aSuccessAfterAFailureIsAnswered() {
        String answer = resilience.call("flaky", () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new UpstreamException.Failure("I/O");
            }
            return "ok";
        });
        assertThat(answer).isEqualTo("ok");
        assertThat(attempts).hasValue(2);
    }
}
