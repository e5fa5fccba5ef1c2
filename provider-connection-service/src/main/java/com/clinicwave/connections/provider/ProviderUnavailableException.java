package com.clinicwave.connections.provider;

/** The provider could not be reached or failed (timeout, network error, 5xx, 429, circuit open). */
public class ProviderUnavailableException extends RuntimeException {

    public ProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public ProviderUnavailableException(String message) {
        super(message);
    }
}
