package com.clinicwave.claims.sources;

import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.RestClientException;

/**
 * Retries idempotent reads of a provider on 429, 5xx and I/O errors, a bounded number of times, honouring a short
 * {@code Retry-After}; anything else fails at once.
 */
final class UpstreamCalls {

    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(10);

    private UpstreamCalls() {
    }

    static <T> T withRetries(int retries, Duration delay, Supplier<T> call) {
        int attempt = 0;
        while (true) {
            try {
                return call.get();
            } catch (HttpStatusCodeException e) {
                int status = e.getStatusCode().value();
                boolean retryable = status == 429 || status >= 500;
                if (!retryable || attempt >= retries) {
                    throw e;
                }
                pause(retryAfter(e.getResponseHeaders(), delay.multipliedBy(attempt + 1L)));
            } catch (RestClientException e) {
                if (attempt >= retries) {
                    throw e;
                }
                pause(delay.multipliedBy(attempt + 1L));
            }
            attempt++;
        }
    }

    private static Duration retryAfter(HttpHeaders headers, Duration fallback) {
        String value = headers == null ? null : headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value != null) {
            try {
                Duration asked = Duration.ofSeconds(Long.parseLong(value.trim()));
                return asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked;
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncFailure(SyncFailure.UPSTREAM_UNAVAILABLE, "The sync was interrupted");
        }
    }
}
