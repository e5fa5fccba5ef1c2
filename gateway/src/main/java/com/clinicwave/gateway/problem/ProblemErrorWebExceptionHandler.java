package com.clinicwave.gateway.problem;

import com.clinicwave.gateway.edge.RequestBodyException;
import com.clinicwave.gateway.security.TokenRejectedException;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Every error the gateway itself raises leaves as problem+json with a stable code: no HTML or whitelabel page,
 * no stack trace, and an unreachable service is a 503 {@code UPSTREAM_UNAVAILABLE}, never a hang.
 */
@Component
@Order(-2)
class ProblemErrorWebExceptionHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorWebExceptionHandler.class);

    private final GatewayProblems problems;

    ProblemErrorWebExceptionHandler(GatewayProblems problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        // The request id and CORS headers stay; whatever a failed call to a service left is dropped.
        exchange.getResponse().getHeaders().headerNames().stream()
                .filter(name -> !name.equalsIgnoreCase("X-Request-Id") && !name.regionMatches(true, 0,
                        "Access-Control-", 0, 15) && !name.equalsIgnoreCase("Vary"))
                .toList()
                .forEach(exchange.getResponse().getHeaders()::remove);
        RequestBodyException body = cause(ex, RequestBodyException.class);
        if (body != null) {
            return problems.write(exchange, body.status(), body.code(), body.getMessage(),
                    h -> h.set(HttpHeaders.CONNECTION, "close"));
        }
        if (ex instanceof TokenRejectedException rejected) {
            return problems.write(exchange, rejected.status(), rejected.code(), rejected.getMessage());
        }
        if (ex instanceof ApiException api) {
            return problems.write(exchange, api.status(), api.code(), api.getMessage());
        }
        if (isUpstreamFailure(ex)) {
            log.warn("Upstream unavailable for {} {}: {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), ex.toString());
            return problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE,
                    "The service is temporarily unavailable, please retry later",
                    h -> h.set(HttpHeaders.RETRY_AFTER, "5"));
        }
        if (ex instanceof DataBufferLimitException) {
            return problems.write(exchange, HttpStatus.PAYLOAD_TOO_LARGE, ProblemCodes.PAYLOAD_TOO_LARGE,
                    "The request is too large");
        }
        if (ex instanceof ResponseStatusException rse) {
            HttpStatusCode status = rse.getStatusCode();
            if (status.is5xxServerError()) {
                log.error("Gateway error {} on {} {}", status.value(), exchange.getRequest().getMethod(),
                        exchange.getRequest().getPath(), ex);
                return problems.write(exchange, status, ProblemCodes.forStatus(status),
                        "The request could not be completed");
            }
            return problems.write(exchange, status, ProblemCodes.forStatus(status), detailFor(status));
        }
        log.error("Unexpected gateway error on {} {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), ex);
        return problems.write(exchange, HttpStatus.INTERNAL_SERVER_ERROR, ProblemCodes.INTERNAL_ERROR,
                "An unexpected error occurred");
    }

    private static <T extends Throwable> @org.jspecify.annotations.Nullable T cause(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String detailFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 404 -> "No such resource";
            case 405 -> "Method not allowed";
            case 408 -> "The request was not received in time";
            case 413 -> "The request is too large";
            case 415 -> "Unsupported media type";
            default -> "The request could not be processed";
        };
    }

    static boolean isUpstreamFailure(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof CallNotPermittedException || t instanceof ConnectException
                    || t instanceof TimeoutException
                    || t instanceof io.netty.channel.ConnectTimeoutException
                    || t instanceof reactor.netty.http.client.PrematureCloseException
                    || t instanceof org.springframework.cloud.gateway.support.NotFoundException
                    // An open circuit: the CircuitBreaker filter turns CallNotPermittedException into this (no cause).
                    || t instanceof org.springframework.cloud.gateway.support.ServiceUnavailableException) {
                return true;
            }
            if (t instanceof ResponseStatusException rse
                    && (rse.getStatusCode().value() == 503 || rse.getStatusCode().value() == 504)) {
                return true;
            }
        }
        return false;
    }
}
