package com.clinicwave.auth.login.web;

import com.clinicwave.auth.config.PasswordHashingBusyException;
import com.clinicwave.auth.login.LoginThrottle;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.Problems;
import java.time.Duration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers that tell the client when to retry, with {@code Retry-After} (the shared problem handler knows no headers):
 * 429 RATE_LIMITED, 503 PASSWORD_HASHING_BUSY (every controller that hashes a password: login, registration,
 * password change, administration).
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class RateLimitAdvice {

    private final Problems problems;

    RateLimitAdvice(Problems problems) {
        this.problems = problems;
    }

    @ExceptionHandler(LoginThrottle.RateLimitedException.class)
    ResponseEntity<ProblemDetail> rateLimited(LoginThrottle.RateLimitedException e) {
        return retryAfter(e, e.retryAfter());
    }

    @ExceptionHandler(PasswordHashingBusyException.class)
    ResponseEntity<ProblemDetail> hashingBusy(PasswordHashingBusyException e) {
        return retryAfter(e, e.retryAfter());
    }

    private ResponseEntity<ProblemDetail> retryAfter(ApiException e, Duration wait) {
        return ResponseEntity.status(e.status())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problems.create(e.status(), e.code(), e.getMessage()));
    }
}
