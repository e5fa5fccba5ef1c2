package com.clinicwave.gateway.security;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;

/** A credential the gateway refuses, with the status and stable code the caller receives. */
public class TokenRejectedException extends AuthenticationException {

    private final HttpStatus status;
    private final String code;

    public TokenRejectedException(HttpStatus status, String code, String detail) {
        super(detail);
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
