package com.clinicwave.platform.web;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds the platform's problem bodies: RFC 9457 fields plus {@code code} and {@code trace_id}. */
public final class Problems {

    public static final String TYPE_BASE = "https://docs.clinicwave.dev/problems/";

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
