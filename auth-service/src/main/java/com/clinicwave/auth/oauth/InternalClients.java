package com.clinicwave.auth.oauth;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * The suite's own service clients (gateway, athena-service, claims-service, platform-ops …) are marked
 * {@value #SETTING} in their client settings. Their access tokens carry only the audience {@value #AUDIENCE}, which
 * the gateway never accepts, and they may not use the protocol endpoints through the public gateway (a request the
 * gateway forwarded carries {@value #EDGE_HEADER}{@code : public}).
 */
public final class InternalClients {

    /** The only audience of an internal client's access tokens; resource servers that take service calls list it. */
    public static final String AUDIENCE = "clinicwave-internal";
    /** Client setting (boolean) marking a client as internal. */
    public static final String SETTING = "settings.client.clinicwave.internal";
    /** Header the gateway sets on every request it forwards (after removing any copy the client sent). */
    public static final String EDGE_HEADER = "X-ClinicWave-Edge";
    public static final String EDGE_PUBLIC = "public";

    private InternalClients() {
    }

    public static boolean isInternal(RegisteredClient client) {
        return Boolean.TRUE.equals(client.getClientSettings().getSetting(SETTING));
    }
}
