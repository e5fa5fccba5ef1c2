package com.clinicwave.gateway.edge;

import org.springframework.http.HttpStatus;

/**
 * The client's request body failed the edge rules while it streamed to the service: it stalled longer than the body
 * read timeout (408) or grew past the body limit (413). A fault of the client, not of the service: the circuit
 * breakers ignore it ({@code resilience4j.circuitbreaker.configs.default.ignore-exceptions}) and it is never retried.
 */
public final class RequestBodyException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    RequestBodyException(HttpStatus status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }
}
