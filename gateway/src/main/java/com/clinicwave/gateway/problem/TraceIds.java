package com.clinicwave.gateway.problem;

import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;

/** The trace context of a request, read from the exchange's server observation (reactor threads carry none). */
public final class TraceIds {

    private TraceIds() {
    }

    public static @Nullable TraceContext of(ServerWebExchange exchange) {
        ServerRequestObservationContext context = ServerRequestObservationContext.findCurrent(exchange.getAttributes())
                .orElse(null);
        if (context == null) {
            return null;
        }
        TracingObservationHandler.TracingContext tracing = context.get(TracingObservationHandler.TracingContext.class);
        return tracing == null || tracing.getSpan() == null ? null : tracing.getSpan().context();
    }
}
