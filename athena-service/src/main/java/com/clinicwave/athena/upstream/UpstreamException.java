package com.clinicwave.athena.upstream;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** What went wrong at athenahealth, as the resilience policies need to tell it apart (no payloads: they may hold PHI). */
public sealed class UpstreamException extends RuntimeException {

    UpstreamException(String message) {
        super(message, null, false, false);
    }

    /** 5xx, I/O error or unreadable answer: retried, counted by the circuit breaker. */
    public static final class Failure extends UpstreamException {
        public Failure(String message) {
            super(message);
        }
    }

    /** 429: retried after {@code Retry-After}; not a sign of ill health. */
    public static final class RateLimited extends UpstreamException {
        private final @Nullable Duration retryAfter;

        public RateLimited(@Nullable Duration retryAfter) {
            super("athenahealth rate limit reached");
            this.retryAfter = retryAfter;
        }

        public @Nullable Duration retryAfter() {
            return retryAfter;
        }
    }

    /** The call's time budget is spent: no further attempt, whatever the cause of the last one. */
    public static final class BudgetExhausted extends UpstreamException {
        public BudgetExhausted() {
            super("athenahealth call budget exhausted");
        }
    }

    /** 401: the provider token was refused; the caller refreshes it once and tries again. */
    public static final class Unauthorized extends UpstreamException {
        public Unauthorized() {
            super("athenahealth refused the access token");
        }
    }
}
