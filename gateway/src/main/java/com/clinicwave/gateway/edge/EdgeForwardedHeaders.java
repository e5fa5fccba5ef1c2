package com.clinicwave.gateway.edge;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * The headers a service receives, as Spring Cloud Gateway builds the proxied request ({@link HttpHeadersFilter}, run
 * last): identity headers, API keys (replaced by the exchanged JWT, {@link #RELAYED_BEARER}) and — unless the peer is
 * a trusted proxy — every forwarding header the client sent are removed; {@code X-Forwarded-For}, {@code X-Forwarded-Proto}, {@code X-Forwarded-Port}, {@code X-ClinicWave-Edge:
 * public} and {@code X-Request-Id} are set from what {@link EdgeWebFilter} established ({@link Forwarding}). The
 * gateway's earlier header filters already made a fresh copy of the request's headers, so this edits that copy:
 * no copy of the headers of its own per request.
 */
@Component
public class EdgeForwardedHeaders implements HttpHeadersFilter, Ordered {

    static final String ATTRIBUTE = Forwarding.class.getName();
    /**
     * Exchange attribute: the JWT the service receives as {@code Authorization: Bearer} instead of the API key the
     * client presented (the phantom token).
     */
    public static final String RELAYED_BEARER = EdgeForwardedHeaders.class.getName() + ".bearer";
    private static final String API_KEY_HEADER = "X-API-Key";

    /** What {@link EdgeWebFilter} established about the request's origin. */
    record Forwarding(String client, String proto, boolean trusted, int port, String requestId) {
    }

    private final List<String> identityHeaders;

    EdgeForwardedHeaders(EdgeProperties properties) {
        this.identityHeaders = List.copyOf(properties.identityHeaders());
    }

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        // The request's own headers are read-only: copied then (only when no header filter ran before this one).
        HttpHeaders headers = input;
        if (input == exchange.getRequest().getHeaders()) {
            headers = new HttpHeaders();
            headers.putAll(input);
        }
        Forwarding forwarding = exchange.getAttribute(ATTRIBUTE);
        for (String name : identityHeaders) {
            headers.remove(name);
        }
        // An API key never leaves the gateway: a service receives the JWT it was exchanged for, or nothing.
        headers.remove(API_KEY_HEADER);
        String bearer = exchange.getAttribute(RELAYED_BEARER);
        if (bearer != null) {
            headers.setBearerAuth(bearer);
        } else {
            String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
            if (authorization != null && authorization.regionMatches(true, 0, "ApiKey ", 0, 7)) {
                headers.remove(HttpHeaders.AUTHORIZATION);
            }
        }
        if (forwarding == null || !forwarding.trusted()) {
            removeForwarding(headers);
        }
        if (forwarding == null) {
            // Not through EdgeWebFilter (never for a public request): nothing is vouched for.
            return headers;
        }
        // Services (auth-service's login limits, audits, Secure cookies) learn the client address and scheme from the
        // gateway only.
        headers.set("X-Forwarded-For", forwarding.client());
        headers.set("X-Forwarded-Proto", forwarding.proto());
        // With a scheme but no port, a service's container (Tomcat's RemoteIpValve) assumes the scheme's default port,
        // so a redirect it builds (auth-service's login page) would lose the port the client used.
        if (!forwarding.trusted() || headers.getFirst("X-Forwarded-Port") == null) {
            headers.set("X-Forwarded-Port", Integer.toString(forwarding.port()));
        }
        headers.set(EdgeWebFilter.EDGE_HEADER, "public");
        headers.set(EdgeWebFilter.REQUEST_ID, forwarding.requestId());
        return headers;
    }

    private static void removeForwarding(HttpHeaders headers) {
        headers.remove("Forwarded");
        headers.remove("X-Real-IP");
        @Nullable List<String> forwarding = null;
        for (String name : headers.headerNames()) {
            if (name.regionMatches(true, 0, "X-Forwarded-", 0, 12)) {
                if (forwarding == null) {
                    forwarding = new ArrayList<>(4);
                }
                forwarding.add(name);
            }
        }
        if (forwarding != null) {
            forwarding.forEach(headers::remove);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
