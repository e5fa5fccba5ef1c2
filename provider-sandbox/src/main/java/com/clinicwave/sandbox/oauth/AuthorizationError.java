package com.clinicwave.sandbox.oauth;

/** An authorization error to send back to the client's (already validated) redirect URI. */
public class AuthorizationError extends RuntimeException {

    private final String redirectLocation;

    AuthorizationError(String redirectLocation, String error) {
        super(error);
        this.redirectLocation = redirectLocation;
    }

    public String redirectLocation() {
        return redirectLocation;
    }
}
