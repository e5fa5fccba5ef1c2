package com.clinicwave.gateway.proxy;

import com.clinicwave.gateway.ratelimit.RateLimiter;
import com.clinicwave.gateway.security.TokenRejectedException;
import com.clinicwave.gateway.security.VerifiedToken;
import com.clinicwave.platform.web.ProblemCodes;
import com.clinicwave.platform.web.Problems;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;

/**
 * One request through the gateway, on its connection's event loop from start to end: checks, authentication,
 * limits, routing, then the request and response relayed as streams, with retries for idempotent calls that failed
 * before any answer, a response timeout, the route's circuit breaker and bulkhead, metrics and one access-log line.
 */
final class Exchange {

    private static final Logger log = LoggerFactory.getLogger(Exchange.class);
    private static final Logger access = LoggerFactory.getLogger("clinicwave.access");

    private static final Pattern VALID_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{8,64}");
    private static final AsciiString X_REQUEST_ID = AsciiString.cached("X-Request-Id");
    private static final AsciiString X_API_KEY = AsciiString.cached("X-API-Key");
    private static final AsciiString TRACEPARENT = AsciiString.cached("traceparent");
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");
    private static final AsciiString RATELIMIT_LIMIT = AsciiString.cached("RateLimit-Limit");
    private static final AsciiString RATELIMIT_REMAINING = AsciiString.cached("RateLimit-Remaining");
    private static final AsciiString RATELIMIT_RESET = AsciiString.cached("RateLimit-Reset");
    private static final AsciiString NOSNIFF = AsciiString.cached("nosniff");
    private static final AsciiString DENY = AsciiString.cached("DENY");
    private static final AsciiString NO_REFERRER = AsciiString.cached("no-referrer");
    private static final AsciiString HSTS = AsciiString.cached("max-age=31536000 ; includeSubDomains");
    private static final AsciiString NO_STORE = AsciiString.cached("no-cache, no-store, max-age=0, must-revalidate");
    private static final AsciiString XSS_OFF = AsciiString.cached("0");
    private static final AsciiString X_CONTENT_TYPE_OPTIONS = AsciiString.cached("X-Content-Type-Options");
    private static final AsciiString X_FRAME_OPTIONS = AsciiString.cached("X-Frame-Options");
    private static final AsciiString REFERRER_POLICY = AsciiString.cached("Referrer-Policy");
    private static final AsciiString STRICT_TRANSPORT_SECURITY = AsciiString.cached("Strict-Transport-Security");
    private static final AsciiString X_XSS_PROTECTION = AsciiString.cached("X-XSS-Protection");
    private static final String CORS_ALLOWED_HEADERS = "Authorization, Content-Type, X-API-Key, X-Request-Id, "
            + "traceparent, Accept";
    private static final java.util.Set<String> CORS_ALLOWED_HEADER_NAMES = java.util.Set.of("authorization",
            "content-type", "x-api-key", "x-request-id", "traceparent", "accept");
    private static final AsciiString CORS_EXPOSED_HEADERS = AsciiString.cached("X-Request-Id, Retry-After, "
            + "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, WWW-Authenticate, Location");
    private static final AsciiString CORS_METHODS = AsciiString.cached("GET,POST,PUT,PATCH,DELETE,OPTIONS");

    /** How much more than the body limit is read and dropped after refusing a body, before the connection is cut. */
    private static final long LINGER_FACTOR = 8;

    private final ProxyConnection connection;
    private final DataPlane plane;
    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final HttpMethod method;
    private final long startNanos = System.nanoTime();
    private long startMicros;

    private String path = "/";
    private String requestId = "";
    private @Nullable Trace trace;
    private String clientIp = "unknown";
    private boolean trustedProxy;
    private boolean keepAlive;
    private @Nullable String corsOrigin;
    private DataPlane.@Nullable CompiledRoute route;
    private @Nullable VerifiedToken caller;
    private RateLimiter.@Nullable Verdict limit;
    private boolean apiKeyPresented;

    private boolean requestComplete;
    private long bodyBytes;
    private @Nullable List<HttpContent> pendingBody = new ArrayList<>(2);
    private boolean discardBody;

    private Upstreams.@Nullable Instance instance;
    private @Nullable Channel upstream;
    private boolean headSent;
    private boolean upstreamKeepAlive;
    private int attempts;
    private @Nullable ScheduledFuture<?> timeout;
    private boolean permit;
    private boolean inFlight;
    private boolean discardingResponse;
    private boolean responseStarted;
    private boolean responseComplete;
    private boolean closeAfter;
    private boolean finished;
    private boolean cancelled;
    private int status;

    Exchange(ProxyConnection connection, HttpRequest request) {
        this.connection = connection;
        this.plane = connection.plane;
        this.ctx = connection.ctx;
        this.request = request;
        this.method = request.method();
    }

    // ---------------------------------------------------------------------------------------------- request checks

    void begin() {
        if (request.decoderResult().isFailure()) {
            requestId = Trace.requestId();
            closeAfter = true;
            requestComplete = true;
            Throwable cause = request.decoderResult().cause();
            if (cause instanceof TooLongHttpHeaderException) {
                problem(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "HEADERS_TOO_LARGE",
                        "The request headers are larger than " + plane.properties.maxHeaderSize().toKilobytes() + " KB");
            } else if (cause instanceof TooLongHttpLineException || cause instanceof TooLongFrameException) {
                problem(HttpResponseStatus.REQUEST_URI_TOO_LONG, "URI_TOO_LONG", "The request line is too long");
            } else {
                problem(HttpResponseStatus.BAD_REQUEST, ProblemCodes.MALFORMED_REQUEST, "The request is malformed");
            }
            return;
        }
        HttpHeaders headers = request.headers();
        keepAlive = HttpUtil.isKeepAlive(request);
        String uri = request.uri();
        int query = uri.indexOf('?');
        path = query < 0 ? uri : uri.substring(0, query);
        String id = headers.get(X_REQUEST_ID);
        requestId = id != null && VALID_REQUEST_ID.matcher(id).matches() ? id : Trace.requestId();
        trace = Trace.of(headers.get(TRACEPARENT), plane.sampling);
        if (plane.tracer != null && trace.sampled()) {
            startMicros = System.currentTimeMillis() * 1000;
        }
        trustedProxy = !plane.trustedProxies.isEmpty() && plane.trustedProxies.contains(connection.peer);
        clientIp = trustedProxy ? forwardedClient(headers.get(X_FORWARDED_FOR), connection.peer) : connection.peer;
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        if (origin != null && plane.corsOrigins.contains(origin)) {
            corsOrigin = origin;
        }

        if (path.isEmpty() || path.charAt(0) != '/' || suspicious(path)) {
            problem(HttpResponseStatus.BAD_REQUEST, ProblemCodes.MALFORMED_REQUEST, "The request path is not acceptable");
            return;
        }
        String lower = path.toLowerCase(Locale.ROOT);
        for (String blocked : plane.edge.blockedPrefixes()) {
            if (lower.equals(blocked) || lower.startsWith(blocked) && lower.charAt(blocked.length()) == '/') {
                problem(HttpResponseStatus.NOT_FOUND, ProblemCodes.NOT_FOUND, "No such resource");
                return;
            }
        }
        if (HttpUtil.getContentLength(request, -1L) > plane.maxBodyBytes) {
            closeAfter = true;
            problem(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, ProblemCodes.PAYLOAD_TOO_LARGE,
                    "The request body is larger than " + plane.edge.maxBodySize().toKilobytes() + " KB");
            return;
        }
        if (method.equals(HttpMethod.OPTIONS) && origin != null
                && headers.contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
            preflight(origin);
            return;
        }
        authenticate();
    }

    private void preflight(String origin) {
        if (corsOrigin == null) {
            problem(HttpResponseStatus.FORBIDDEN, "CORS_REJECTED", "This origin may not call the API");
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.EMPTY_BUFFER);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, CORS_METHODS);
        String requested = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requested != null ? allowedHeaders(requested)
                : CORS_ALLOWED_HEADERS);
        headers.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, plane.corsMaxAge);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        respond(response);
    }

    private static String allowedHeaders(String requested) {
        StringBuilder allowed = new StringBuilder();
        for (String header : requested.split(",")) {
            String name = header.strip();
            if (CORS_ALLOWED_HEADER_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
                allowed.append(allowed.isEmpty() ? "" : ", ").append(name);
            }
        }
        return allowed.isEmpty() ? CORS_ALLOWED_HEADERS : allowed.toString();
    }

    private void authenticate() {
        HttpHeaders headers = request.headers();
        String apiKey = headers.get(X_API_KEY);
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        String bearer = null;
        if (apiKey != null && !apiKey.isBlank()) {
            apiKey = apiKey.strip();
        } else {
            apiKey = null;
            if (authorization != null && authorization.regionMatches(true, 0, "ApiKey ", 0, 7)) {
                apiKey = authorization.substring(7).strip();
            } else if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                bearer = authorization.substring(7).strip();
            }
        }
        apiKeyPresented = apiKey != null;
        if (method.equals(HttpMethod.OPTIONS) || AccessRules.isPublic(method, path)) {
            // Public paths are not checked at all: a bearer token sent there is relayed untouched to the service.
            limitAnonymous();
            return;
        }
        if (apiKey == null && bearer == null) {
            refused(HttpResponseStatus.UNAUTHORIZED, ProblemCodes.UNAUTHENTICATED, "Authentication is required",
                    "Bearer");
            return;
        }
        try {
            if (bearer != null) {
                VerifiedToken verified = plane.tokens.cached(bearer);
                if (verified != null) {
                    authenticated(verified);
                    return;
                }
                awaitVerdict(plane.tokens.validate(bearer));
            } else {
                String token = plane.apiKeys.cachedAccessToken(apiKey);
                VerifiedToken verified = token == null ? null : plane.tokens.cached(token);
                if (verified != null) {
                    authenticated(verified);
                    return;
                }
                awaitVerdict(token != null ? plane.tokens.validate(token)
                        : plane.apiKeys.accessToken(apiKey).flatMap(plane.tokens::validate));
            }
        } catch (TokenRejectedException e) {
            rejected(e);
        }
    }

    /** A cache miss: verification runs off the event loop; the request body waits (not read further) meanwhile. */
    private void awaitVerdict(Mono<VerifiedToken> verdict) {
        ctx.channel().config().setAutoRead(false);
        verdict.switchIfEmpty(Mono.error(() -> new TokenRejectedException(
                        org.springframework.http.HttpStatus.UNAUTHORIZED, ProblemCodes.TOKEN_INVALID,
                        "The access token is invalid")))
                .subscribe(
                verified -> ctx.executor().execute(() -> {
                    if (!cancelled) {
                        ctx.channel().config().setAutoRead(true);
                        authenticated(verified);
                    }
                }),
                error -> ctx.executor().execute(() -> {
                    if (cancelled) {
                        return;
                    }
                    ctx.channel().config().setAutoRead(true);
                    if (error instanceof TokenRejectedException rejected) {
                        rejected(rejected);
                    } else {
                        log.warn("Token verification failed: {}", error.toString());
                        problem(HttpResponseStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE,
                                "The token cannot be verified right now, please retry later");
                    }
                }));
    }

    private void rejected(TokenRejectedException e) {
        if (e.status().value() == 401) {
            refused(HttpResponseStatus.UNAUTHORIZED, e.code(), e.getMessage(),
                    "Bearer error=\"invalid_token\", error_description=\"" + e.getMessage() + "\"");
        } else {
            problem(HttpResponseStatus.valueOf(e.status().value()), e.code(), e.getMessage());
        }
    }

    /** A missing or refused credential: counted against the client IP's anonymous limit, so floods are limited. */
    private void refused(HttpResponseStatus status, String code, String detail, String challenge) {
        if (plane.rateLimiter.enabled()) {
            RateLimiter.Verdict verdict = plane.rateLimiter.anonymous(clientIp);
            if (verdict.refused()) {
                limit = verdict;
                tooManyRequests(verdict);
                return;
            }
        }
        problem(status, code, detail, HttpHeaderNames.WWW_AUTHENTICATE, challenge);
    }

    private void authenticated(VerifiedToken verified) {
        caller = verified;
        String authority = AccessRules.requiredAuthority(path);
        if (authority != null && verified.authentication().getAuthorities().stream()
                .noneMatch(a -> authority.equals(a.getAuthority()))) {
            problem(HttpResponseStatus.FORBIDDEN, ProblemCodes.INSUFFICIENT_PERMISSIONS,
                    "You do not have permission to do this", HttpHeaderNames.WWW_AUTHENTICATE,
                    "Bearer error=\"insufficient_scope\"");
            return;
        }
        if (plane.rateLimiter.enabled()) {
            String key = verified.apiKeyId() != null ? "key:" + verified.apiKeyId() : "sub:" + verified.principal();
            limit = plane.rateLimiter.authenticated(key);
            if (limit.refused()) {
                tooManyRequests(limit);
                return;
            }
        }
        routeRequest();
    }

    private void limitAnonymous() {
        if (!plane.rateLimiter.enabled() || method.equals(HttpMethod.OPTIONS)) {
            routeRequest();
            return;
        }
        if (plane.rateLimiter.isCredentialPath(path)) {
            ctx.channel().config().setAutoRead(false);
            plane.rateLimiter.credentials(clientIp).subscribe(verdict -> ctx.executor().execute(() -> {
                if (cancelled) {
                    return;
                }
                ctx.channel().config().setAutoRead(true);
                limit = verdict;
                if (verdict.refused()) {
                    tooManyRequests(verdict);
                } else {
                    routeRequest();
                }
            }));
            return;
        }
        limit = plane.rateLimiter.anonymous(clientIp);
        if (limit.refused()) {
            tooManyRequests(limit);
            return;
        }
        routeRequest();
    }

    private void tooManyRequests(RateLimiter.Verdict verdict) {
        problem(HttpResponseStatus.TOO_MANY_REQUESTS, ProblemCodes.RATE_LIMITED,
                "Too many requests, retry after " + verdict.retryAfterSeconds() + " seconds",
                HttpHeaderNames.RETRY_AFTER, Long.toString(verdict.retryAfterSeconds()));
    }

    // -------------------------------------------------------------------------------------------------- forwarding

    private void routeRequest() {
        DataPlane.CompiledRoute matched = plane.route(path);
        if (matched == null) {
            problem(HttpResponseStatus.NOT_FOUND, ProblemCodes.NOT_FOUND, "No such resource");
            return;
        }
        route = matched;
        CircuitBreaker breaker = matched.breaker;
        if (breaker != null) {
            if (!breaker.tryAcquirePermission()) {
                unavailable("circuit open");
                return;
            }
            permit = true;
        }
        if (matched.inFlight.incrementAndGet() > plane.properties.maxConcurrentCallsPerService()) {
            matched.inFlight.decrementAndGet();
            releasePermit();
            unavailable("bulkhead full");
            return;
        }
        inFlight = true;
        prepareUpstreamRequest(matched);
        if (HttpUtil.is100ContinueExpected(request)) {
            ctx.writeAndFlush(new io.netty.handler.codec.http.DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
        attempt();
    }

    private void prepareUpstreamRequest(DataPlane.CompiledRoute matched) {
        HttpHeaders headers = request.headers();
        for (AsciiString identity : plane.identityHeaders) {
            headers.remove(identity);
        }
        if (!trustedProxy) {
            List<CharSequence> remove = null;
            Iterator<Map.Entry<CharSequence, CharSequence>> names = headers.iteratorCharSequence();
            while (names.hasNext()) {
                CharSequence name = names.next().getKey();
                if (isForwarding(name)) {
                    if (remove == null) {
                        remove = new ArrayList<>(4);
                    }
                    remove.add(name);
                }
            }
            if (remove != null) {
                remove.forEach(headers::remove);
            }
        }
        headers.remove(HttpHeaderNames.CONNECTION);
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove(HttpHeaderNames.PROXY_CONNECTION);
        headers.remove(HttpHeaderNames.TE);
        headers.remove(HttpHeaderNames.UPGRADE);
        headers.remove(HttpHeaderNames.EXPECT);
        // Services (auth-service's login limits, audits) learn the client address from the gateway only; other
        // X-Forwarded-* headers pass only from a trusted proxy.
        headers.set(X_FORWARDED_FOR, clientIp);
        headers.set(X_REQUEST_ID, requestId);
        headers.set(TRACEPARENT, trace.header());
        // Services only ever receive JWTs: the verified token stands in for an API key, which never leaves the gateway.
        if (apiKeyPresented) {
            headers.remove(X_API_KEY);
            if (caller != null) {
                headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + caller.tokenValue());
            } else {
                String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
                if (authorization != null && authorization.regionMatches(true, 0, "ApiKey ", 0, 7)) {
                    headers.remove(HttpHeaderNames.AUTHORIZATION);
                }
            }
        }
        if (matched.setPath != null) {
            int query = request.uri().indexOf('?');
            request.setUri(query < 0 ? matched.setPath : matched.setPath + request.uri().substring(query));
        } else if (!request.uri().startsWith("/")) {
            // absolute-form request target: services get origin-form.
            int query = request.uri().indexOf('?');
            request.setUri(query < 0 ? path : path + request.uri().substring(query));
        }
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    private static boolean isForwarding(CharSequence name) {
        return AsciiString.regionMatches(name, true, 0, "X-Forwarded-", 0, 12)
                || AsciiString.contentEqualsIgnoreCase(name, "Forwarded")
                || AsciiString.contentEqualsIgnoreCase(name, "X-Real-IP");
    }

    private void attempt() {
        DataPlane.CompiledRoute matched = route;
        attempts++;
        Upstreams.Instance chosen = plane.upstreams.chooseOther(matched.service, instance);
        if (chosen == null) {
            // Discovery knows no instance (a service still registering, or gone): not a failure of the service, so
            // the breaker does not count it. Counting it let start-up probes open the breaker of a service that was
            // registering, and its first real requests got 503 for the breaker's 10 s.
            log.warn("Upstream unavailable for {} {} (route {}): no instance of {} is registered", method, path,
                    matched.id, matched.service);
            releasePermit();
            unavailable("no instance registered");
            return;
        }
        instance = chosen;
        if (!matched.preserveHost) {
            request.headers().set(HttpHeaderNames.HOST, chosen.hostHeader());
        }
        timeout = ctx.executor().schedule(this::onTimeout, matched.timeoutMillis, TimeUnit.MILLISECONDS);
        Channel idle = plane.pool.acquire(chosen.key());
        if (idle != null) {
            bind(idle);
            return;
        }
        plane.upstreamBootstrap(ctx.channel().eventLoop()).connect(chosen.host(), chosen.port())
                .addListener((ChannelFutureListener) future -> {
                    if (finished || cancelled || upstream != null) {
                        if (future.isSuccess()) {
                            plane.pool.release(chosen.key(), future.channel());
                        }
                        return;
                    }
                    if (future.isSuccess()) {
                        bind(future.channel());
                    } else {
                        onUpstreamFailure(future.cause());
                    }
                });
    }

    private void bind(Channel channel) {
        upstream = channel;
        channel.pipeline().get(UpstreamHandler.class).owner(this);
        headSent = true;
        channel.write(request);
        List<HttpContent> body = pendingBody;
        pendingBody = null;
        if (body != null) {
            for (HttpContent content : body) {
                channel.write(content);
            }
        }
        if (attempts > 1) {
            // A retry (only of requests without a body, already fully read): the end of the request again.
            channel.write(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        channel.flush();
        if (!channel.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    void onRequestContent(HttpContent content) {
        if (content instanceof LastHttpContent) {
            requestComplete = true;
        }
        bodyBytes += content.content().readableBytes();
        if (discardBody || finished || responseComplete) {
            content.release();
            if (requestComplete) {
                maybeDone();
            } else if (bodyBytes > LINGER_FACTOR * plane.maxBodyBytes) {
                // Answered already; a client that keeps sending that much more is cut off.
                ctx.close();
            }
            return;
        }
        if (bodyBytes > plane.maxBodyBytes) {
            content.release();
            closeAfter = true;
            if (requestComplete) {
                discardBody = true;
            }
            if (!responseStarted) {
                abandonUpstream();
                problem(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, ProblemCodes.PAYLOAD_TOO_LARGE,
                        "The request body is larger than " + plane.edge.maxBodySize().toKilobytes() + " KB");
            } else {
                ctx.close();
            }
            return;
        }
        if (pendingBody != null) {
            pendingBody.add(content);
        } else if (upstream != null) {
            upstream.write(content);
            if (requestComplete) {
                upstream.flush();
            }
            if (!upstream.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        } else {
            content.release();
        }
    }

    void flushUpstream() {
        Channel channel = upstream;
        if (channel != null && headSent) {
            channel.flush();
        }
    }

    void flushDownstream() {
        ctx.flush();
    }

    void upstreamWritabilityChanged(boolean writable) {
        if (writable && !finished) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    void downstreamWritabilityChanged(boolean writable) {
        Channel channel = upstream;
        if (channel != null) {
            channel.config().setAutoRead(writable);
        }
    }

    // ---------------------------------------------------------------------------------------------------- response

    void onUpstream(HttpObject msg) {
        if (finished || cancelled) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            cancelTimeout();
            int code = response.status().code();
            if (code == 502 && retryable()) {
                discardingResponse = true;
                upstreamKeepAlive = HttpUtil.isKeepAlive(response);
            } else {
                upstreamKeepAlive = HttpUtil.isKeepAlive(response);
                recordOutcome(code >= 502 && code <= 504 ? new UpstreamStatusException(code) : null);
                status = code;
                responseStarted = true;
                decorate(response.headers());
                response.setProtocolVersion(HttpVersion.HTTP_1_1);
                ctx.write(response);
            }
        }
        if (msg instanceof HttpContent content) {
            if (discardingResponse) {
                content.release();
                if (content instanceof LastHttpContent) {
                    discardingResponse = false;
                    releaseUpstream();
                    retryLater();
                }
                return;
            }
            ctx.write(content);
            if (content instanceof LastHttpContent) {
                ctx.flush();
                responseComplete = true;
                releaseUpstream();
                maybeDone();
            } else if (!ctx.channel().isWritable()) {
                upstream.config().setAutoRead(false);
            }
        }
    }

    private void releaseUpstream() {
        Channel channel = upstream;
        upstream = null;
        if (channel == null) {
            return;
        }
        channel.pipeline().get(UpstreamHandler.class).owner(null);
        channel.config().setAutoRead(true);
        if (upstreamKeepAlive && requestComplete && channel.isActive()) {
            plane.pool.release(instance.key(), channel);
        } else {
            channel.close();
        }
    }

    /** Closes the upstream connection without letting its closing report a failure. */
    private void abandonUpstream() {
        cancelTimeout();
        Channel channel = upstream;
        upstream = null;
        if (channel != null) {
            channel.pipeline().get(UpstreamHandler.class).owner(null);
            channel.close();
        }
    }

    void onUpstreamFailure(Throwable cause) {
        if (finished || cancelled) {
            return;
        }
        abandonUpstream();
        if (responseStarted) {
            // Part of the answer is already out: the client can only learn of the failure by the connection closing.
            log.warn("Upstream {} failed mid-response: {}", route.service, cause.toString());
            closeAfter = true;
            status = 502;
            complete();
            ctx.close();
            return;
        }
        if (retryable()) {
            log.debug("Retrying {} {} after {}", method, path, cause.toString());
            retryLater();
            return;
        }
        fail(cause);
    }

    private boolean retryable() {
        return route != null && route.retryIdempotent && attempts <= plane.properties.retries()
                && bodyBytes == 0 && requestComplete
                && (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD) || method.equals(HttpMethod.OPTIONS));
    }

    private void retryLater() {
        long backoff = plane.properties.retryBackoff().toMillis() << Math.min(attempts - 1, 4);
        ctx.executor().schedule(() -> {
            if (!finished && !cancelled) {
                attempt();
            }
        }, backoff, TimeUnit.MILLISECONDS);
    }

    private void onTimeout() {
        timeout = null;
        if (finished || cancelled || responseStarted) {
            return;
        }
        abandonUpstream();
        fail(new TimeoutException("no response within " + route.timeoutMillis + " ms"));
    }

    private void fail(Throwable cause) {
        log.warn("Upstream unavailable for {} {} (route {}): {}", method, path, route.id, cause.toString());
        recordOutcome(cause);
        unavailable(cause.getMessage());
    }

    private void unavailable(@Nullable String reason) {
        problem(HttpResponseStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE,
                "The service is temporarily unavailable, please retry later", HttpHeaderNames.RETRY_AFTER, "5");
    }

    private void recordOutcome(@Nullable Throwable failure) {
        if (!permit) {
            return;
        }
        permit = false;
        long elapsed = System.nanoTime() - startNanos;
        if (failure == null) {
            route.breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
        } else {
            route.breaker.onError(elapsed, TimeUnit.NANOSECONDS, failure);
        }
    }

    private void releasePermit() {
        if (permit) {
            permit = false;
            route.breaker.releasePermission();
        }
    }

    private void cancelTimeout() {
        ScheduledFuture<?> scheduled = timeout;
        timeout = null;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    /** The headers every answer carries: request id, security headers, CORS, rate limits, connection handling. */
    private void decorate(HttpHeaders headers) {
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove(HttpHeaderNames.PROXY_CONNECTION);
        headers.set(X_REQUEST_ID, requestId);
        headers.set(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
        headers.set(X_FRAME_OPTIONS, DENY);
        headers.set(REFERRER_POLICY, NO_REFERRER);
        headers.set(STRICT_TRANSPORT_SECURITY, HSTS);
        headers.set(X_XSS_PROTECTION, XSS_OFF);
        if (!headers.contains(HttpHeaderNames.CACHE_CONTROL) && !headers.contains(HttpHeaderNames.EXPIRES)) {
            headers.set(HttpHeaderNames.CACHE_CONTROL, NO_STORE);
        }
        if (corsOrigin != null) {
            headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, corsOrigin);
            headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            headers.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, CORS_EXPOSED_HEADERS);
            headers.set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        }
        RateLimiter.Verdict verdict = limit;
        if (verdict != null) {
            headers.set(RATELIMIT_LIMIT, Integer.toString(verdict.limit()));
            headers.set(RATELIMIT_REMAINING, Long.toString(verdict.remaining()));
            headers.set(RATELIMIT_RESET, Long.toString(verdict.resetSeconds()));
        }
        if (closeAfter || !keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else {
            headers.remove(HttpHeaderNames.CONNECTION);
        }
    }

    // ------------------------------------------------------------------------------------------ answers of our own

    private void problem(HttpResponseStatus status, String code, String detail) {
        problem(status, code, detail, null, null);
    }

    private void problem(HttpResponseStatus status, String code, String detail, @Nullable AsciiString header,
            @Nullable String value) {
        if (responseStarted || finished) {
            return;
        }
        String traceId = trace != null ? trace.traceId() : null;
        String body = "{\"type\":\"" + Problems.TYPE_BASE + code.toLowerCase(Locale.ROOT).replace('_', '-')
                + "\",\"title\":" + json(status.reasonPhrase()) + ",\"status\":" + status.code()
                + ",\"detail\":" + json(detail) + ",\"instance\":" + json(path) + ",\"code\":" + json(code)
                + (traceId != null ? ",\"trace_id\":\"" + traceId + "\"" : "") + "}";
        ByteBuf content = Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json");
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        headers.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (header != null) {
            headers.set(header, value);
        }
        if (!requestComplete) {
            // The rest of this request's body is read and dropped before the connection serves the next request (or
            // closes): a client still sending would otherwise see the connection reset instead of this answer.
            discardBody = true;
            List<HttpContent> body0 = pendingBody;
            pendingBody = null;
            if (body0 != null) {
                body0.forEach(HttpContent::release);
            }
        }
        respond(response);
    }

    private void respond(FullHttpResponse response) {
        status = response.status().code();
        responseStarted = true;
        decorate(response.headers());
        ctx.writeAndFlush(response);
        responseComplete = true;
        maybeDone();
    }

    private void maybeDone() {
        if (!responseComplete || finished) {
            return;
        }
        if (!requestComplete && (discardBody || !closeAfter)) {
            return;
        }
        complete();
        if (closeAfter || !keepAlive) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            connection.done(this);
        }
    }

    /** Metrics, circuit-breaker and bulkhead bookkeeping, and the access-log line: once per exchange. */
    private void complete() {
        if (finished) {
            return;
        }
        finished = true;
        cancelTimeout();
        releasePermit();
        if (inFlight) {
            inFlight = false;
            route.inFlight.decrementAndGet();
        }
        List<HttpContent> body = pendingBody;
        pendingBody = null;
        if (body != null) {
            body.forEach(HttpContent::release);
        }
        long elapsed = System.nanoTime() - startNanos;
        DataPlane.CompiledRoute measured = route != null ? route : plane.noRoute;
        plane.timer(measured, status).record(elapsed, TimeUnit.NANOSECONDS);
        if (startMicros != 0) {
            report(elapsed);
        }
        if (plane.properties.accessLog() && access.isInfoEnabled()) {
            if (trace != null) {
                MDC.put("traceId", trace.traceId());
                MDC.put("spanId", trace.spanId());
            }
            try {
                access.info("{} {} route={} {} {}ms", method, path, route == null ? "-" : route.id, status,
                        elapsed / 1_000_000);
            } finally {
                MDC.remove("traceId");
                MDC.remove("spanId");
            }
        }
    }

    /** The gateway hop as a server span (Zipkin): the service's span is its child through {@code traceparent}. */
    private void report(long elapsedNanos) {
        try {
            brave.Span span = plane.tracer.toSpan(trace.braveContext())
                    .kind(brave.Span.Kind.SERVER)
                    .name(method.name() + " " + (route == null ? "gateway" : route.id))
                    .tag("http.method", method.name())
                    .tag("http.path", path)
                    .tag("http.status_code", Integer.toString(status));
            if (route != null) {
                span.tag("gateway.route", route.id);
            }
            if (status >= 500) {
                span.tag("error", Integer.toString(status));
            }
            span.remoteIpAndPort(clientIp, 0);
            span.start(startMicros);
            span.finish(startMicros + Math.max(1, elapsedNanos / 1000));
        } catch (RuntimeException e) {
            log.debug("Span not reported: {}", e.toString());
        }
    }

    void onDownstreamClosed() {
        if (finished) {
            return;
        }
        cancelled = true;
        abandonUpstream();
        if (status == 0) {
            // The client went away before an answer (nginx's 499).
            status = 499;
        }
        complete();
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

    private static String forwardedClient(@Nullable String forwardedFor, String peer) {
        if (forwardedFor == null || forwardedFor.isBlank()) {
            return peer;
        }
        // The right-most entry was added by our trusted proxy: it is the client as that proxy saw it.
        int comma = forwardedFor.lastIndexOf(',');
        return forwardedFor.substring(comma + 1).strip();
    }

    private static String json(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** A service answered 502/503/504: counted as a failure by the route's circuit breaker. */
    static final class UpstreamStatusException extends RuntimeException {
        UpstreamStatusException(int status) {
            super("upstream answered " + status, null, false, false);
        }
    }
}
