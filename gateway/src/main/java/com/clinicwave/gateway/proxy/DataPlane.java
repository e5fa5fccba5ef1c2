package com.clinicwave.gateway.proxy;

import com.clinicwave.gateway.apikey.ApiKeyExchange;
import com.clinicwave.gateway.edge.EdgeProperties;
import com.clinicwave.gateway.ratelimit.RateLimiter;
import com.clinicwave.gateway.security.CorsProperties;
import com.clinicwave.gateway.security.TokenValidationCache;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The gateway's public listener: a Netty HTTP/1.1 server that runs the whole edge chain on the event loop — request
 * hygiene, CORS, authentication through the validation cache, revocation, coarse permissions, rate limits, routing,
 * circuit breakers, bulkheads, timeouts and idempotent retries — and relays requests and responses as streams over
 * pooled keep-alive connections. Only a cache miss (JWT verification, API-key exchange) or a credential-endpoint limit
 * leaves the event loop. Spring's own web server serves only the actuator and the documentation UI, on loopback.
 */
@Component
public class DataPlane implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DataPlane.class);
    static final String PORT_PROPERTY = "local.gateway.port";

    /** A route with what the request path needs at run time. */
    static final class CompiledRoute {
        final String id;
        final String service;
        final PathPatterns paths;
        final @Nullable String setPath;
        final long timeoutMillis;
        final boolean retryIdempotent;
        final boolean preserveHost;
        final @Nullable CircuitBreaker breaker;
        final AtomicInteger inFlight;
        final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(600);

        CompiledRoute(DataPlaneProperties.Route route, @Nullable CircuitBreaker breaker, AtomicInteger inFlight) {
            this.id = route.id();
            this.service = route.service();
            this.paths = new PathPatterns(route.paths());
            this.setPath = route.setPath();
            this.timeoutMillis = route.responseTimeout().toMillis();
            this.retryIdempotent = route.retryIdempotent();
            this.preserveHost = route.preserveHost();
            this.breaker = breaker;
            this.inFlight = inFlight;
        }
    }

    final DataPlaneProperties properties;
    final EdgeProperties edge;
    final TokenValidationCache tokens;
    final ApiKeyExchange apiKeys;
    final RateLimiter rateLimiter;
    final Upstreams upstreams;
    final UpstreamPool pool;
    final List<CompiledRoute> routes;
    final CompiledRoute noRoute;
    final Set<String> corsOrigins;
    final String corsMaxAge;
    final List<io.netty.util.AsciiString> identityHeaders;
    final Set<String> trustedProxies;
    final long maxBodyBytes;
    final double sampling;
    final brave.@Nullable Tracer tracer;
    private final MeterRegistry meters;
    private final ApplicationContext context;
    private final AtomicInteger openConnections = new AtomicInteger();

    private volatile @Nullable EventLoopGroup group;
    private volatile @Nullable Channel server;
    private volatile int port = -1;
    private final boolean epoll = Epoll.isAvailable();

    DataPlane(DataPlaneProperties properties, EdgeProperties edge, CorsProperties cors, TokenValidationCache tokens,
            ApiKeyExchange apiKeys, RateLimiter rateLimiter, ObjectProvider<CircuitBreakerRegistry> breakers,
            DiscoveryClient discovery, MeterRegistry meters, ApplicationContext context,
            ObjectProvider<brave.Tracing> tracing,
            org.springframework.core.env.Environment environment) {
        this.properties = properties;
        this.edge = edge;
        this.tokens = tokens;
        this.apiKeys = apiKeys;
        this.rateLimiter = rateLimiter;
        this.meters = meters;
        this.context = context;
        brave.Tracing braveTracing = tracing.getIfAvailable();
        this.tracer = braveTracing == null ? null : braveTracing.tracer();
        this.upstreams = new Upstreams(discovery, this::internalPort);
        this.pool = new UpstreamPool(properties.maxIdleUpstreamConnections());
        CircuitBreakerRegistry registry = breakers.getIfAvailable(CircuitBreakerRegistry::ofDefaults);
        Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        this.routes = properties.routes().stream().map(route -> new CompiledRoute(route,
                Upstreams.SELF.equals(route.service()) ? null : registry.circuitBreaker(route.service()),
                inFlight.computeIfAbsent(route.service(), s -> {
                    AtomicInteger counter = new AtomicInteger();
                    Gauge.builder("gateway.upstream.in.flight", counter, AtomicInteger::get).tag("service", s)
                            .description("Calls in flight to a service from this replica").register(meters);
                    return counter;
                }))).toList();
        this.noRoute = new CompiledRoute(new DataPlaneProperties.Route("none", "none", List.of("/"), null,
                java.time.Duration.ofSeconds(1), false, false), null, new AtomicInteger());
        this.corsOrigins = Set.copyOf(cors.allowedOrigins());
        this.corsMaxAge = Long.toString(cors.maxAge().toSeconds());
        this.identityHeaders = edge.identityHeaders().stream().map(io.netty.util.AsciiString::cached).toList();
        this.trustedProxies = Set.copyOf(edge.trustedProxies());
        this.maxBodyBytes = edge.maxBodySize().toBytes();
        this.sampling = environment.getProperty("management.tracing.sampling.probability", Double.class, 0.1);
        upstreamTemplate.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis());
        Gauge.builder("gateway.connections", openConnections, AtomicInteger::get)
                .description("Open client connections").register(meters);
    }

    @Nullable CompiledRoute route(String path) {
        for (CompiledRoute route : routes) {
            if (route.paths.matches(path)) {
                return route;
            }
        }
        return null;
    }

    Timer timer(CompiledRoute route, int status) {
        int index = status >= 100 && status < 600 ? status : 599;
        Timer timer = route.timers.get(index);
        if (timer == null) {
            timer = Timer.builder("gateway.requests").description("Requests through the gateway, by route and status")
                    .tag("route", route.id).tag("status", Integer.toString(status))
                    .tag("outcome", status < 400 ? "SUCCESS" : status < 500 ? "CLIENT_ERROR" : "SERVER_ERROR")
                    .register(meters);
            route.timers.set(index, timer);
        }
        return timer;
    }

    void connectionOpened() {
        openConnections.incrementAndGet();
    }

    void connectionClosed() {
        openConnections.decrementAndGet();
    }

    /** How upstream connections are made; cloned onto the event loop of the client connection that needs one. */
    private final Bootstrap upstreamTemplate = new Bootstrap()
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(
                            new IdleStateHandler(0, 0, properties.upstreamIdleTimeout().toMillis(),
                                    TimeUnit.MILLISECONDS),
                            new HttpClientCodec(4096, 65536, 8192),
                            new UpstreamHandler());
                }
            });

    Bootstrap upstreamBootstrap(io.netty.channel.EventLoop loop) {
        return upstreamTemplate.clone(loop);
    }

    /** The port of the gateway's internal web server (documentation UI), for the {@code gateway} service. */
    private int internalPort() {
        if (context instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            return web.getWebServer().getPort();
        }
        return -1;
    }

    public int port() {
        return port;
    }

    @Override
    public void start() {
        int threads = properties.ioThreads() > 0 ? properties.ioThreads() : Runtime.getRuntime().availableProcessors();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("gateway-io"), io);
        Class<? extends ServerChannel> serverChannel = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        ServerBootstrap bootstrap = new ServerBootstrap().group(loops).channel(serverChannel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new IdleStateHandler(0, 0, properties.idleTimeout().toMillis(), TimeUnit.MILLISECONDS),
                                new HttpServerCodec((int) properties.maxInitialLineLength().toBytes(),
                                        (int) properties.maxHeaderSize().toBytes(), 8192),
                                new ProxyConnection(DataPlane.this));
                    }
                });
        try {
            Channel channel = bootstrap.bind(properties.address(), properties.port()).sync().channel();
            server = channel;
            group = loops;
            port = ((InetSocketAddress) channel.localAddress()).getPort();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("Interrupted while binding the gateway port", e);
        } catch (RuntimeException e) {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("Cannot listen on " + properties.address() + ":" + properties.port(), e);
        }
        if (context instanceof ConfigurableApplicationContext configurable) {
            MutablePropertySources sources = configurable.getEnvironment().getPropertySources();
            PropertySource<?> ports = new MapPropertySource("gateway.ports", Map.of(PORT_PROPERTY, port));
            if (sources.contains("gateway.ports")) {
                sources.replace("gateway.ports", ports);
            } else {
                sources.addFirst(ports);
            }
        }
        log.info("Gateway listening on {}:{} ({} event loops, {})", properties.address(), port, threads,
                epoll ? "epoll" : "nio");
    }

    @Override
    public void stop() {
        Channel channel = server;
        EventLoopGroup loops = group;
        server = null;
        group = null;
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (loops != null) {
            // In-flight requests get a moment to complete (graceful shutdown), then connections close.
            loops.shutdownGracefully(100, 5000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** Last to start (every cache and the deny-list are loaded), first to stop. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    @Scheduled(fixedDelayString = "${clinicwave.gateway.discovery-refresh:5s}")
    void refreshUpstreams() {
        upstreams.refresh();
    }
}
