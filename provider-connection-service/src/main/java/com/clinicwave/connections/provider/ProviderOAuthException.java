package com.clinicwave.connections.provider;

import org.jspecify.annotations.Nullable;

/** The provider answered with an RFC 6749 error (e.g. {@code invalid_grant}): a definite refusal, not an outage. */
public class ProviderOAuthException extends RuntimeException {

    private final String error;
    private final int status;

    public ProviderOAuthException(int status, String error, @Nullable String description) {
        super("Provider refused: " + error + (description == null ? "" : " (" + description + ")"));
        this.status = status;
        this.error = error;
    }

    public String error() {
        return error;
    }

    public int status() {
        return status;
    }

    public boolean invalidGrant() {
        return "invalid_grant".equals(error);
    }
}
