package com.clinicwave.gateway.edge;

import com.clinicwave.gateway.security.AuthenticatedCaller;
import com.clinicwave.gateway.security.VerifiedToken;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Services only ever receive JWTs: an authenticated request goes downstream with {@code Authorization: Bearer} and the
 * verified token (the caller's own, or the one an API key was exchanged for); a raw API key never leaves the gateway.
 */
@Component
class TokenRelayGlobalFilter implements GlobalFilter, Ordered {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        VerifiedToken caller = AuthenticatedCaller.of(exchange);
        HttpHeaders incoming = exchange.getRequest().getHeaders();
        String authorization = incoming.getFirst(HttpHeaders.AUTHORIZATION);
        boolean apiKeyScheme = authorization != null && authorization.regionMatches(true, 0, "ApiKey ", 0, 7);
        boolean apiKeyHeader = incoming.containsHeader("X-API-Key");
        if (!apiKeyScheme && !apiKeyHeader
                && (caller == null || ("Bearer " + caller.tokenValue()).equals(authorization))) {
            // Nothing to change (a bearer token is relayed as sent): no copy of the headers.
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate().request(r -> r.headers(headers -> {
            headers.remove("X-API-Key");
            if (caller != null) {
                headers.setBearerAuth(caller.tokenValue());
            } else if (apiKeyScheme) {
                headers.remove(HttpHeaders.AUTHORIZATION);
            }
        })).build());
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 100;
    }
}
