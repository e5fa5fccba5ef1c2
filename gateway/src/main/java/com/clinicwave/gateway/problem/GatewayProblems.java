package com.clinicwave.gateway.problem;

import com.clinicwave.platform.web.ProblemBodies;
import com.clinicwave.platform.web.Problems;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the platform's problem+json bodies ({@code code}, {@code trace_id}) from reactive code: the gateway's
 * equivalent of the servlet problem handlers in the platform starter.
 */
@Component
public class GatewayProblems {

    private final Problems problems;
    private final JsonMapper json;

    GatewayProblems(Problems problems, JsonMapper json) {
        this.problems = problems;
        this.json = json;
    }

    public Mono<Void> write(ServerWebExchange exchange, HttpStatusCode status, String code, String detail) {
        return write(exchange, status, code, detail, headers -> {
        });
    }

    public Mono<Void> write(ServerWebExchange exchange, HttpStatusCode status, String code, String detail,
            Consumer<HttpHeaders> headers) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty();
        }
        byte[] body = json.writeValueAsBytes(body(exchange, status, code, detail));
        response.setStatusCode(status);
        HttpHeaders responseHeaders = response.getHeaders();
        responseHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        responseHeaders.setContentLength(body.length);
        responseHeaders.setCacheControl("no-store");
        // The answers the gateway writes itself carry the same security headers as routed ones (SecureHeaders).
        responseHeaders.set("X-Content-Type-Options", "nosniff");
        responseHeaders.set("X-Frame-Options", "DENY");
        responseHeaders.set("Referrer-Policy", "no-referrer");
        headers.accept(responseHeaders);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    /** A problem body for answers written below WebFlux (no exchange, hence no trace id). */
    public byte[] bytes(HttpStatusCode status, String code, String detail) {
        return json.writeValueAsBytes(ProblemBodies.toMap(problems.create(status, code, detail)));
    }

    /** The problem body as a map, for handlers that answer with a {@code ServerResponse}. */
    public Map<String, Object> body(ServerWebExchange exchange, HttpStatusCode status, String code, String detail) {
        ProblemDetail problem = problems.create(status, code, detail);
        if (problem.getProperties() == null || !problem.getProperties().containsKey("trace_id")) {
            String traceId = traceId(exchange);
            if (traceId != null) {
                problem.setProperty("trace_id", traceId);
            }
        }
        return ProblemBodies.toMap(problem);
    }

    static @Nullable String traceId(ServerWebExchange exchange) {
        io.micrometer.tracing.TraceContext context = TraceIds.of(exchange);
        return context == null ? null : context.traceId();
    }
}
