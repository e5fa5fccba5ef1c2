package com.clinicwave.auth.config;

import com.clinicwave.platform.web.ApiException;
import java.time.Duration;
import org.springframework.http.HttpStatus;

/**
 * Every password-hashing slot stayed taken for longer than the configured wait ({@code clinicwave.auth.passwords.
 * max-hash-wait}): answered 503 {@value #CODE} with {@code Retry-After}. Nothing was checked or changed; the client
 * may retry. A login flood meets this instead of queueing without bound behind the cores.
 */
public final class PasswordHashingBusyException extends ApiException {

    public static final String CODE = "PASSWORD_HASHING_BUSY";
    /** A hash takes ~16-20 ms: a slot frees within the second unless a flood keeps them all. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    public PasswordHashingBusyException() {
        super(HttpStatus.SERVICE_UNAVAILABLE, CODE, "Too many password checks in progress; retry shortly");
    }

    public Duration retryAfter() {
        return RETRY_AFTER;
    }
}
