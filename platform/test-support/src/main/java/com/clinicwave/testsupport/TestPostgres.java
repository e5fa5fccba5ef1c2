package com.clinicwave.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real PostgreSQL server per JVM, and a fresh database on it for whoever asks: from
 * {@code CLINICWAVE_TEST_POSTGRES_URL} (+ {@code _USER}, {@code _PASSWORD}) when set, else a Testcontainers
 * container when Docker runs, else an embedded server (zonky, real PostgreSQL binaries).
 */
public final class TestPostgres {

    /** Connection settings of one database. */
    public record Database(String jdbcUrl, String username, String password, String name) {
    }

    private static @Nullable TestPostgres instance;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String adminUrl;
    private final String username;
    private final String password;
    private final @Nullable AutoCloseable server;

    private TestPostgres(String adminUrl, String username, String password, @Nullable AutoCloseable server) {
        this.adminUrl = adminUrl;
        this.username = username;
        this.password = password;
        this.server = server;
    }

    public static synchronized TestPostgres get() {
        if (instance == null) {
            instance = start();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "test-postgres-stop"));
        }
        return instance;
    }

    private static TestPostgres start() {
        String url = Infrastructure.configured("CLINICWAVE_TEST_POSTGRES_URL");
        if (url != null) {
            return new TestPostgres(url, orDefault(Infrastructure.configured("CLINICWAVE_TEST_POSTGRES_USER"), "postgres"),
                    orDefault(Infrastructure.configured("CLINICWAVE_TEST_POSTGRES_PASSWORD"), "postgres"), null);
        }
        if (Infrastructure.dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            return new TestPostgres(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                    container::stop);
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            return new TestPostgres(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", pg);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
        }
    }

    /** Creates an empty database with a unique name (prefix + counter + pid) and returns how to reach it. */
    public Database newDatabase(String prefix) {
        String name = (prefix.replaceAll("[^a-z0-9_]", "_") + "_" + ProcessHandle.current().pid() + "_"
                + COUNTER.incrementAndGet()).toLowerCase();
        try (Connection c = DriverManager.getConnection(adminUrl, username, password);
             Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name, e);
        }
        return new Database(replaceDatabase(adminUrl, name), username, password, name);
    }

    static String replaceDatabase(String jdbcUrl, String database) {
        int query = jdbcUrl.indexOf('?');
        String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        String params = query < 0 ? "" : jdbcUrl.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
    }

    private void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (Exception ignored) {
                // the JVM is exiting; the embedded server's own hook cleans its directory
            }
        }
    }

    private static String orDefault(@Nullable String value, String fallback) {
        return value == null ? fallback : value;
    }
}
