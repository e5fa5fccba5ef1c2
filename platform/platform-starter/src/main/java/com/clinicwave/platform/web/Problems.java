package com.clinicwave.platform.web;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.ProblemDetail;

/** Builds the platform's problem bodies: RFC 9457 fields plus {@code code} and {@code trace_id}. */
public final class Problems {

    public static final String TYPE_BASE = "https://docs.clinicwave.dev/problems/";

    /** Seconds a client should wait before retrying after a {@code DATABASE_UNAVAILABLE} answer. */
    public static final int DATABASE_RETRY_AFTER_SECONDS = 5;

    private final ObjectProvider<Tracer> tracer;

    public Problems(ObjectProvider<Tracer> tracer) {
        this.tracer = tracer;
    }

    public ProblemDetail create(HttpStatusCode status, String code, @Nullable String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        return decorate(problem, code);
    }

    /** Adds code, type and trace id to a problem a framework already built. */
    public ProblemDetail decorate(ProblemDetail problem, String code) {
        problem.setType(URI.create(TYPE_BASE + code.toLowerCase().replace('_', '-')));
        problem.setProperty("code", code);
        String traceId = currentTraceId();
        if (traceId != null) {
            problem.setProperty("trace_id", traceId);
        }
        return problem;
    }

    /**
     * The answer for a failure that is not a bug of the service: the database did not answer in time (503
     * {@code DATABASE_UNAVAILABLE} with {@code Retry-After}), or the input held characters PostgreSQL cannot store
     * (400 {@code VALIDATION_FAILED}); null for anything else.
     */
    public @Nullable ResponseEntity<ProblemDetail> forKnownFailure(Throwable ex) {
        if (FailureKinds.isDatabaseUnavailable(ex)) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, String.valueOf(DATABASE_RETRY_AFTER_SECONDS))
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(create(HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.DATABASE_UNAVAILABLE,
                            "The service's database is not answering; retry later"));
        }
        if (FailureKinds.isUnstorableCharacter(ex)) {
            return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(create(HttpStatus.BAD_REQUEST, ProblemCodes.VALIDATION_FAILED,
                            "The request contains characters that cannot be stored"));
        }
        return null;
    }

    public @Nullable String currentTraceId() {
        Tracer t = tracer.getIfAvailable();
        if (t != null) {
            Span span = t.currentSpan();
            if (span != null) {
                return span.context().traceId();
            }
        }
        return MDC.get("traceId");
    }
}
