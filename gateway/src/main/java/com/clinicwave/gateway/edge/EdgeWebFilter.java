package com.clinicwave.gateway.edge;

import com.clinicwave.gateway.problem.GatewayProblems;
import com.clinicwave.gateway.problem.TraceIds;
import com.clinicwave.platform.web.ProblemCodes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.TraceContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The first filter of every public request, before Spring Cloud Gateway's handler mapping:
 * <ul>
 * <li>refuses paths that are never public ({@code /internal/**}, {@code /actuator/**} → 404) and path tricks that
 * could reach them (dot segments, encoded separators, {@code ;}, {@code //} → 400);</li>
 * <li>refuses a declared body over the limit (413), and watches a streamed one: past the limit 413, stalled longer
 * than the body read timeout 408 ({@link RequestBodyException}, not a failure of the service);</li>
 * <li>refuses CORS preflights from origins the {@code globalcors} configuration does not allow (403
 * {@code CORS_REJECTED}); allowed preflights are answered by the gateway's CORS handling;</li>
 * <li>establishes the client address and scheme through the trusted proxies ({@link TrustedProxies}); what the
 * service receives (identity and untrusted forwarding headers removed; {@code X-Forwarded-For}, {@code -Proto},
 * {@code -Port}, {@code X-ClinicWave-Edge: public}, {@code X-Request-Id}) is set by {@link EdgeForwardedHeaders} on
 * the copy Spring Cloud Gateway makes for the proxied request — no header copy here;</li>
 * <li>turns every error answer without a body (the gateway filters' own 404, 413, 429, 503) into problem+json;</li>
 * <li>records {@code gateway.requests{route,status,outcome}} and one access-log line.</li>
 * </ul>
 */
@Component
public class EdgeWebFilter implements WebFilter, Ordered {

    public static final String REQUEST_ID = "X-Request-Id";
    /** Set on every forwarded request; auth-service refuses internal clients' token requests that carry it. */
    public static final String EDGE_HEADER = "X-ClinicWave-Edge";

    private static final Logger log = LoggerFactory.getLogger("clinicwave.access");
    private static final Pattern VALID_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{8,64}");

    private final EdgeProperties properties;
    private final GatewayProblems problems;
    private final ManagementRequests management;
    private final TrustedProxies trustedProxies;
    private final GlobalCorsProperties cors;
    private final MeterRegistry meters;
    private final boolean accessLog;
    private final long maxBodyBytes;
    /** gateway.requests timers by route, then by status (no key built per request). */
    private final Map<String, AtomicReferenceArray<Timer>> timers = new ConcurrentHashMap<>();

    EdgeWebFilter(EdgeProperties properties, GatewayProblems problems, ManagementRequests management,
            GlobalCorsProperties cors, MeterRegistry meters,
            @Value("${clinicwave.gateway.access-log:true}") boolean accessLog) {
        this.properties = properties;
        this.problems = problems;
        this.management = management;
        this.trustedProxies = new TrustedProxies(properties.trustedProxies());
        this.cors = cors;
        this.meters = meters;
        this.accessLog = accessLog;
        this.maxBodyBytes = properties.maxBodySize().toBytes();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (management.isManagement(exchange)) {
            return chain.filter(exchange);
        }
        long start = System.nanoTime();
        ServerHttpRequest request = exchange.getRequest();
        HttpHeaders incoming = request.getHeaders();
        String requestId = incoming.getFirst(REQUEST_ID);
        String id = requestId != null && VALID_REQUEST_ID.matcher(requestId).matches() ? requestId : newRequestId();
        exchange.getResponse().getHeaders().set(REQUEST_ID, id);
        return refusal(exchange, request)
                .switchIfEmpty(Mono.defer(() -> forward(exchange, chain, request, id)))
                .doFinally(signal -> finished(exchange, start));
    }

    /** A problem answer for what never goes further, or empty. */
    private Mono<Void> refusal(ServerWebExchange exchange, ServerHttpRequest request) {
        String rawPath = request.getPath().value();
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/' || suspicious(rawPath)) {
            return problems.write(exchange, HttpStatus.BAD_REQUEST, ProblemCodes.MALFORMED_REQUEST,
                    "The request path is not acceptable");
        }
        String lower = rawPath.toLowerCase(Locale.ROOT);
        for (String blocked : properties.blockedPrefixes()) {
            if (lower.equals(blocked) || lower.startsWith(blocked) && lower.charAt(blocked.length()) == '/') {
                return problems.write(exchange, HttpStatus.NOT_FOUND, ProblemCodes.NOT_FOUND, "No such resource");
            }
        }
        if (request.getHeaders().getContentLength() > maxBodyBytes) {
            return problems.write(exchange, HttpStatus.PAYLOAD_TOO_LARGE, ProblemCodes.PAYLOAD_TOO_LARGE,
                    "The request body is larger than " + properties.maxBodySize().toKilobytes() + " KB");
        }
        if (CorsUtils.isPreFlightRequest(request) && !originAllowed(request.getHeaders().getOrigin())) {
            return problems.write(exchange, HttpStatus.FORBIDDEN, "CORS_REJECTED", "This origin may not call the API");
        }
        return Mono.empty();
    }

    private Mono<Void> forward(ServerWebExchange exchange, WebFilterChain chain, ServerHttpRequest request, String id) {
        InetSocketAddress remote = request.getRemoteAddress();
        InetAddress peerAddress = remote == null ? null : remote.getAddress();
        String peer = ClientAddress.peer(exchange);
        boolean trusted = trustedProxies.isTrusted(peerAddress);
        String client = trusted ? trustedProxies.clientAddress(peer, peerAddress,
                request.getHeaders().getFirst("X-Forwarded-For")) : peer;
        exchange.getAttributes().put(ClientAddress.ATTRIBUTE, client);
        String forwardedProto = trusted ? request.getHeaders().getFirst("X-Forwarded-Proto") : null;
        String proto = forwardedProto != null && (forwardedProto.equalsIgnoreCase("https")
                || forwardedProto.equalsIgnoreCase("http")) ? forwardedProto.toLowerCase(Locale.ROOT)
                : request.getURI().getScheme() == null ? "http" : request.getURI().getScheme();

        // What the service receives is set by EdgeForwardedHeaders when the proxied request is built (no copy here).
        exchange.getAttributes().put(EdgeForwardedHeaders.ATTRIBUTE,
                new EdgeForwardedHeaders.Forwarding(client, proto, trusted, clientPort(request, proto), id));
        ServerHttpRequest cleaned = request;
        if (mayHaveBody(request)) {
            cleaned = new WatchedBody(cleaned, maxBodyBytes, properties);
        }
        ProblemAnswers response = new ProblemAnswers(exchange.getResponse(), exchange, problems);
        ServerWebExchange edged = exchange.mutate().request(cleaned).response(response).build();
        return chain.filter(edged).then(Mono.defer(() -> response.unanswered()));
    }

    private boolean originAllowed(@Nullable String origin) {
        if (origin == null) {
            return false;
        }
        for (CorsConfiguration config : cors.getCorsConfigurations().values()) {
            if (config.checkOrigin(origin) != null) {
                return true;
            }
        }
        return false;
    }

    private static boolean mayHaveBody(ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }

    private void finished(ServerWebExchange exchange, long start) {
        long elapsed = System.nanoTime() - start;
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        int code = status == null ? 200 : status.value();
        String routeId = route == null ? "none" : route.getId();
        AtomicReferenceArray<Timer> byStatus = timers.computeIfAbsent(routeId, key -> new AtomicReferenceArray<>(600));
        int slot = code >= 100 && code < 600 ? code : 0;
        Timer timer = byStatus.get(slot);
        if (timer == null) {
            timer = Timer.builder("gateway.requests")
                    .description("Requests answered by the gateway, by route and status")
                    .tag("route", routeId).tag("status", Integer.toString(code))
                    .tag("outcome", outcome(code)).register(meters);
            byStatus.set(slot, timer);
        }
        timer.record(elapsed, TimeUnit.NANOSECONDS);
        if (!accessLog || !log.isInfoEnabled()) {
            return;
        }
        TraceContext trace = TraceIds.of(exchange);
        if (trace != null) {
            MDC.put("traceId", trace.traceId());
            MDC.put("spanId", trace.spanId());
        }
        try {
            // No query string or headers: they may hold tokens.
            log.info("{} {} route={} {} {}ms", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                    route == null ? "-" : route.getId(), code, elapsed / 1_000_000);
        } finally {
            MDC.remove("traceId");
            MDC.remove("spanId");
        }
    }

    private static String outcome(int status) {
        return status < 200 ? "INFORMATIONAL" : status < 300 ? "SUCCESS" : status < 400 ? "REDIRECTION"
                : status < 500 ? "CLIENT_ERROR" : "SERVER_ERROR";
    }

    private static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }

    /**
     * Path tricks that could reach what is never routed: encoded dots, separators, NUL or percent signs, backslashes,
     * matrix parameters, dot segments and empty segments.
     */
    static boolean suspicious(String path) {
        int length = path.length();
        for (int i = 0; i < length; i++) {
            char c = path.charAt(i);
            switch (c) {
                case '\\', ';' -> {
                    return true;
                }
                case '%' -> {
                    if (i + 2 < length) {
                        char a = path.charAt(i + 1);
                        char b = Character.toLowerCase(path.charAt(i + 2));
                        if (a == '2' && (b == 'e' || b == 'f' || b == '5') || a == '5' && b == 'c'
                                || a == '0' && b == '0') {
                            return true;
                        }
                    }
                }
                case '/' -> {
                    if (i + 1 < length && path.charAt(i + 1) == '/') {
                        return true;
                    }
                    if (i + 1 < length && path.charAt(i + 1) == '.') {
                        int end = i + 2 < length && path.charAt(i + 2) == '.' ? i + 3 : i + 2;
                        if (end == length || path.charAt(end) == '/') {
                            return true;
                        }
                    }
                }
                default -> {
                }
            }
        }
        return false;
    }

    /**
     * The request body as it streams to the service: counted against the limit, and cut when it stalls longer than
     * the body read timeout (a client that declares a body and stops sending would otherwise hold the call open).
     */
    static final class WatchedBody extends ServerHttpRequestDecorator {

        private final long maxBytes;
        private final EdgeProperties properties;

        WatchedBody(ServerHttpRequest delegate, long maxBytes, EdgeProperties properties) {
            super(delegate);
            this.maxBytes = maxBytes;
            this.properties = properties;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            long[] read = new long[1];
            return super.getBody()
                    .timeout(properties.bodyReadTimeout(), Flux.error(() -> new RequestBodyException(
                            HttpStatus.REQUEST_TIMEOUT, "REQUEST_TIMEOUT",
                            "The request body was not received in time")))
                    .doOnNext(buffer -> {
                        read[0] += buffer.readableByteCount();
                        if (read[0] > maxBytes) {
                            throw new RequestBodyException(HttpStatus.PAYLOAD_TOO_LARGE, ProblemCodes.PAYLOAD_TOO_LARGE,
                                    "The request body is larger than " + properties.maxBodySize().toKilobytes() + " KB");
                        }
                    });
        }
    }

    /**
     * Gateway filters answer some refusals with a status and no body (a rate limit's 429, a route's {@code SetStatus},
     * an unrouted path's 404): those leave as problem+json too.
     */
    static final class ProblemAnswers extends ServerHttpResponseDecorator {

        private final ServerWebExchange exchange;
        private final GatewayProblems problems;

        ProblemAnswers(ServerHttpResponse delegate, ServerWebExchange exchange, GatewayProblems problems) {
            super(delegate);
            this.exchange = exchange;
            this.problems = problems;
        }

        @Override
        public Mono<Void> setComplete() {
            return needsProblem() ? problem() : super.setComplete();
        }

        Mono<Void> unanswered() {
            return !isCommitted() && needsProblem() ? problem() : Mono.empty();
        }

        private boolean needsProblem() {
            HttpStatusCode status = getStatusCode();
            return status != null && status.value() >= 400 && !isCommitted()
                    && getHeaders().getContentType() == null;
        }

        private Mono<Void> problem() {
            HttpStatusCode status = getStatusCode();
            return switch (status.value()) {
                case 429 -> {
                    String retryAfter = getHeaders().getFirst(HttpHeaders.RETRY_AFTER);
                    yield problems.write(exchange, status, ProblemCodes.RATE_LIMITED,
                            "Too many requests, retry after " + retryAfter + " seconds");
                }
                case 404 -> problems.write(exchange, status, ProblemCodes.NOT_FOUND, "No such resource");
                case 413 -> problems.write(exchange, status, ProblemCodes.PAYLOAD_TOO_LARGE, "The request is too large");
                case 502, 503, 504 -> problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE,
                        ProblemCodes.UPSTREAM_UNAVAILABLE, "The service is temporarily unavailable, please retry later",
                        h -> h.set(HttpHeaders.RETRY_AFTER, "5"));
                default -> problems.write(exchange, status, ProblemCodes.forStatus(status),
                        "The request could not be processed");
            };
        }
    }

    /** The port the client addressed: the {@code Host} header's, else the scheme's default. */
    static int clientPort(ServerHttpRequest request, String proto) {
        java.net.InetSocketAddress host = request.getHeaders().getHost();
        if (host != null && host.getPort() > 0) {
            return host.getPort();
        }
        return "https".equals(proto) ? 443 : 80;
    }
}
