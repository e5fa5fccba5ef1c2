package com.clinicwave.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.testcontainers.containers.GenericContainer;
import redis.embedded.RedisServer;

/**
 * One real Redis server per JVM, and a separate logical database (key space) for each Spring context:
 * {@code CLINICWAVE_TEST_REDIS_URL} ({@code redis://host:port}) when set, else a Testcontainers container when Docker
 * runs, else an embedded redis-server.
 */
public final class TestRedis {

    /** How many logical databases an embedded server offers: one per Spring test context in a JVM. */
    static final int DATABASES = 1024;

    private static @Nullable TestRedis instance;

    private final String host;
    private final int port;
    private final int databases;
    private final AtomicInteger next = new AtomicInteger();
    private final @Nullable AutoCloseable server;

    private TestRedis(String host, int port, int databases, @Nullable AutoCloseable server) {
        this.host = host;
        this.port = port;
        this.databases = databases;
        this.server = server;
    }

    public static synchronized TestRedis get() {
        if (instance == null) {
            instance = start();
            TestRedis started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "test-redis-stop"));
        }
        return instance;
    }

    private static TestRedis start() {
        String url = Infrastructure.configured("CLINICWAVE_TEST_REDIS_URL");
        if (url != null) {
            URI uri = URI.create(url);
            return new TestRedis(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), 16, null);
        }
        if (Infrastructure.dockerAvailable()) {
            GenericContainer<?> container = new GenericContainer<>("redis:7-alpine")
                    .withExposedPorts(6379)
                    .withCommand("redis-server", "--databases", String.valueOf(DATABASES));
            container.start();
            return new TestRedis(container.getHost(), container.getMappedPort(6379), DATABASES, container::stop);
        }
        int port = freePort();
        try {
            RedisServer redis = RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("databases " + DATABASES)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    // Security state (deny-list, lockouts, OAuth state) is never evicted, as in production.
                    .setting("maxmemory-policy noeviction")
                    .build();
            redis.start();
            return new TestRedis("127.0.0.1", port, DATABASES, redis::stop);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded Redis", e);
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** A logical database no other context in this JVM has been given (wraps around past the server's count). */
    public int nextDatabase() {
        return next.getAndIncrement() % databases;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (Exception ignored) {
                // the JVM is exiting
            }
        }
    }
}
