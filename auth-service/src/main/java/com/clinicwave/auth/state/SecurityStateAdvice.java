package com.clinicwave.auth.state;

import com.clinicwave.platform.web.Problems;
import com.clinicwave.platform.web.ProblemCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The first-party API's answer when Redis is down: 503 {@code SECURITY_STATE_UNAVAILABLE} (see SecurityState). */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityStateAdvice {

    private static final Logger log = LoggerFactory.getLogger(SecurityStateAdvice.class);

    private final Problems problems;

    SecurityStateAdvice(Problems problems) {
        this.problems = problems;
    }

    @ExceptionHandler({RedisConnectionFailureException.class, RedisSystemException.class,
        QueryTimeoutException.class})
    ResponseEntity<ProblemDetail> unavailable(RuntimeException e) {
        boolean redis = SecurityState.isStoreFailure(e);
        log.error("{} unavailable: answered 503 ({})", redis ? "Security state (Redis)" : "Database",
                e.getClass().getSimpleName());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "5")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(redis ? problems.create(HttpStatus.SERVICE_UNAVAILABLE, SecurityState.UNAVAILABLE,
                        SecurityState.DETAIL)
                        : problems.create(HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE,
                                "The database did not answer in time; retry later"));
    }
}
