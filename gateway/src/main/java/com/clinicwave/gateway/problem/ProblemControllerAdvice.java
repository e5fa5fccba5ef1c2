package com.clinicwave.gateway.problem;

import com.clinicwave.platform.web.ProblemCodes;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Errors raised while dispatching to the gateway's own handlers (e.g. no resource for an unrouted path) also get
 * the platform's problem body with {@code code} and {@code trace_id}, not the framework's default one.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ProblemControllerAdvice {

    private final GatewayProblems problems;

    ProblemControllerAdvice(GatewayProblems problems) {
        this.problems = problems;
    }

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<Object> statusException(ResponseStatusException ex, ServerWebExchange exchange) {
        if (ProblemErrorWebExceptionHandler.isUpstreamFailure(ex)) {
            // A route's response timeout (SCG's 504) and the like: the same 503 UPSTREAM_UNAVAILABLE with Retry-After
            // as every unavailable service, from ProblemErrorWebExceptionHandler.
            throw ex;
        }
        HttpStatusCode status = ex.getStatusCode();
        String detail = status.value() == 404 ? "No such resource"
                : status.is4xxClientError() ? "The request could not be processed" : "The request could not be completed";
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problems.body(exchange, status, ProblemCodes.forStatus(status), detail));
    }
}
