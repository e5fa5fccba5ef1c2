package com.clinicwave.claims.connections;

/** An event that can never be processed (wrong shape): not retried, sent to the dead-letter topic. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }
}
