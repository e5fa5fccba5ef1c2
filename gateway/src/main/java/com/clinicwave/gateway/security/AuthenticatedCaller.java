package com.clinicwave.gateway.security;

import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;

/** Where the verified token of an authenticated request is kept on the exchange, for rate limiting and token relay. */
public final class AuthenticatedCaller {

    static final String ATTRIBUTE = AuthenticatedCaller.class.getName();

    private AuthenticatedCaller() {
    }

    public static @Nullable VerifiedToken of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }
}
