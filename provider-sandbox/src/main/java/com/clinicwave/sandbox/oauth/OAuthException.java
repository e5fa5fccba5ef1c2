package com.clinicwave.sandbox.oauth;

import org.springframework.http.HttpStatus;

/** An RFC 6749 error of the token or revocation endpoint: {@code {"error","error_description"}}. */
public class OAuthException extends RuntimeException {

    private final HttpStatus status;
    private final String error;

    public OAuthException(HttpStatus status, String error, String description) {
        super(description);
        this.status = status;
        this.error = error;
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException(HttpStatus.BAD_REQUEST, "invalid_request", description);
    }

    public static OAuthException invalidGrant(String description) {
        return new OAuthException(HttpStatus.BAD_REQUEST, "invalid_grant", description);
    }

    public static OAuthException invalidClient(String description) {
        return new OAuthException(HttpStatus.UNAUTHORIZED, "invalid_client", description);
    }

    public HttpStatus status() {
        return status;
    }

    public String error() {
        return error;
    }
}
