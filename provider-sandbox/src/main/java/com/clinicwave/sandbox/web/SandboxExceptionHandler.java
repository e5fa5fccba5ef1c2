package com.clinicwave.sandbox.web;

import com.clinicwave.platform.web.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Renders {@link ProblemWithHeaders} like the platform renders any problem, plus its headers. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class SandboxExceptionHandler {

    private final Problems problems;

    SandboxExceptionHandler(Problems problems) {
        this.problems = problems;
    }

    @ExceptionHandler(ProblemWithHeaders.class)
    ResponseEntity<ProblemDetail> handle(ProblemWithHeaders ex) {
        return ResponseEntity.status(ex.status()).headers(ex.headers())
                .body(problems.create(ex.status(), ex.code(), ex.getMessage()));
    }
}
