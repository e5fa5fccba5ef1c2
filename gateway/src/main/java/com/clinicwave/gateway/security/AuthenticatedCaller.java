package com.clinicwave.gateway.security;

import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;

/** The verified caller of a request, as {@link TokenAuthenticationFilter} left it on the exchange. */
public final class AuthenticatedCaller {

    static final String ATTRIBUTE = AuthenticatedCaller.class.getName();

    private AuthenticatedCaller() {
    }

    public static @Nullable VerifiedToken of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }
}
