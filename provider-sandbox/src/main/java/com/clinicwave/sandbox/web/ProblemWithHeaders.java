package com.clinicwave.sandbox.web;

import com.clinicwave.platform.web.ApiException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** An {@link ApiException} whose answer needs response headers too ({@code WWW-Authenticate}, {@code Retry-After}). */
public class ProblemWithHeaders extends ApiException {

    private final HttpHeaders headers;

    public ProblemWithHeaders(HttpStatus status, String code, String detail, HttpHeaders headers) {
        super(status, code, detail);
        this.headers = headers;
    }

    /** A 401 for a missing, unknown, expired or revoked bearer token (RFC 6750 §3). */
    public static ProblemWithHeaders invalidToken(String code, String detail) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        return new ProblemWithHeaders(HttpStatus.UNAUTHORIZED, code, detail, headers);
    }

    /** A 429 telling the caller when to come back. */
    public static ProblemWithHeaders rateLimited(String detail, long retryAfterSeconds) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        return new ProblemWithHeaders(HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED", detail, headers);
    }

    public HttpHeaders headers() {
        return headers;
    }
}
