package com.clinicwave.gateway.edge;

import com.clinicwave.gateway.problem.GatewayProblems;
import com.clinicwave.platform.web.ProblemCodes;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * First filter of every request: refuses paths that are never public ({@code /internal/**}, {@code /actuator/**} →
 * 404) and path tricks that could reach them (dot segments, encoded separators → 400), refuses bodies over the limit
 * (413), strips identity headers and untrusted forwarding headers a client sent, and gives the request an
 * {@code X-Request-Id} that the service and the client both see.
 */
@Component
class EdgeWebFilter implements WebFilter, Ordered {

    static final String REQUEST_ID = "X-Request-Id";
    private static final Pattern VALID_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{8,64}");
    private static final Pattern SUSPICIOUS_PATH = Pattern.compile(
            "(?i).*(%2e|%2f|%5c|%00|%25|\\\\|;|/\\.\\.?(/|$)|//).*");

    private final EdgeProperties properties;
    private final GatewayProblems problems;
    private final ManagementRequests management;

    EdgeWebFilter(EdgeProperties properties, GatewayProblems problems, ManagementRequests management) {
        this.properties = properties;
        this.problems = problems;
        this.management = management;
    }

    @Override
    public int getOrder() {
        // Before the security chain (-100) and everything else.
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (management.isManagement(exchange)) {
            return chain.filter(exchange);
        }
        ServerHttpRequest request = exchange.getRequest();
        String rawPath = request.getPath().value();
        if (SUSPICIOUS_PATH.matcher(rawPath).matches()) {
            return problems.write(exchange, HttpStatus.BAD_REQUEST, ProblemCodes.MALFORMED_REQUEST,
                    "The request path is not acceptable");
        }
        String lowerPath = rawPath.toLowerCase(Locale.ROOT);
        for (String blocked : properties.blockedPrefixes()) {
            if (lowerPath.equals(blocked) || lowerPath.startsWith(blocked + "/")) {
                return problems.write(exchange, HttpStatus.NOT_FOUND, ProblemCodes.NOT_FOUND, "No such resource");
            }
        }
        long length = request.getHeaders().getContentLength();
        if (length > properties.maxBodySize().toBytes()) {
            return problems.write(exchange, HttpStatus.PAYLOAD_TOO_LARGE, ProblemCodes.PAYLOAD_TOO_LARGE,
                    "The request body is larger than " + properties.maxBodySize().toKilobytes() + " KB");
        }
        String peer = ClientAddress.peer(exchange);
        boolean trustedProxy = properties.trustedProxies().contains(peer);
        String clientAddress = trustedProxy ? forwardedClient(request.getHeaders(), peer) : peer;
        exchange.getAttributes().put(ClientAddress.ATTRIBUTE, clientAddress);

        String requestId = request.getHeaders().getFirst(REQUEST_ID);
        String id = requestId != null && VALID_REQUEST_ID.matcher(requestId).matches() ? requestId
                : UUID.randomUUID().toString();
        ServerHttpRequest cleaned = request.mutate().headers(headers -> {
            properties.identityHeaders().forEach(headers::remove);
            if (!trustedProxy) {
                headers.remove("Forwarded");
                headers.remove("X-Real-IP");
                headers.headerNames().stream()
                        .filter(name -> name.regionMatches(true, 0, "X-Forwarded-", 0, 12))
                        .toList()
                        .forEach(headers::remove);
            }
            // Services (auth-service's login limits, audits) learn the client address from the gateway only.
            headers.set("X-Forwarded-For", clientAddress);
            headers.set(REQUEST_ID, id);
        }).build();
        exchange.getResponse().getHeaders().set(REQUEST_ID, id);
        return chain.filter(exchange.mutate().request(cleaned).build());
    }

    private static String forwardedClient(HttpHeaders headers, String peer) {
        String forwardedFor = headers.getFirst("X-Forwarded-For");
        if (forwardedFor == null || forwardedFor.isBlank()) {
            return peer;
        }
        // The right-most entry was added by our trusted proxy: it is the client as that proxy saw it.
        String[] hops = forwardedFor.split(",");
        return hops[hops.length - 1].strip();
    }
}
