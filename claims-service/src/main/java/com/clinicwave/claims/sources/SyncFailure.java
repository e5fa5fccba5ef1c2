package com.clinicwave.claims.sources;

import com.clinicwave.platform.client.ServiceTokens;

/**
 * Why a sync could not complete, with a stable code ({@code REAUTH_REQUIRED}, {@code UPSTREAM_UNAVAILABLE},
 * {@code UPSTREAM_INVALID_RESPONSE}, {@code UPSTREAM_CIRCUIT_OPEN}, {@code NOT_FOUND}, …) and a reason safe to show the connection's owner (no
 * tokens, no PHI).
 */
public class SyncFailure extends RuntimeException {

    public static final String REAUTH_REQUIRED = "REAUTH_REQUIRED";
    public static final String UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE";
    public static final String UPSTREAM_INVALID_RESPONSE = "UPSTREAM_INVALID_RESPONSE";
    public static final String CONNECTION_NOT_FOUND = "CONNECTION_NOT_FOUND";
    public static final String CONNECTION_DELETED = "CONNECTION_DELETED";
    /** A Resilience4j circuit breaker is open: the upstream failed repeatedly and is not called for a while. */
    public static final String CIRCUIT_OPEN = "UPSTREAM_CIRCUIT_OPEN";

    private final String code;

    public SyncFailure(String code, String reason) {
        super(reason);
        this.code = code;
    }

    public SyncFailure(String code, String reason, Throwable cause) {
        super(reason, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** This service's token for calls to other services (platform starter), or a failure naming auth-service. */
    public static String serviceToken(ServiceTokens tokens) {
        try {
            return tokens.current();
        } catch (ServiceTokens.UnavailableException e) {
            throw new SyncFailure(UPSTREAM_UNAVAILABLE, "auth-service did not issue a service token", e);
        }
    }
}
