package com.clinicwave.auth.login.web;

import com.clinicwave.auth.login.LoginThrottle;
import com.clinicwave.platform.web.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** 429 RATE_LIMITED with {@code Retry-After} (the shared problem handler knows no headers). */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class RateLimitAdvice {

    private final Problems problems;

    RateLimitAdvice(Problems problems) {
        this.problems = problems;
    }

    @ExceptionHandler(LoginThrottle.RateLimitedException.class)
    ResponseEntity<ProblemDetail> rateLimited(LoginThrottle.RateLimitedException e) {
        return ResponseEntity.status(e.status())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problems.create(e.status(), e.code(), e.getMessage()));
    }
}
