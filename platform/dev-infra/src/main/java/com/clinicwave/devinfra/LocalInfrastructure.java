package com.clinicwave.devinfra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import redis.embedded.RedisServer;

/**
 * The local run's infrastructure in one process: PostgreSQL (data kept under the data directory between runs, one
 * database per service), Redis and a single-node KRaft Kafka broker, on the ports bin/platform passes in.
 * Writes a ready file once all three accept connections, and stops them on SIGTERM.
 */
public final class LocalInfrastructure {

    private static final Logger log = LoggerFactory.getLogger(LocalInfrastructure.class);

    static final List<String> DATABASES = List.of("auth", "connections", "claims");

    /**
     * The platform's topics exist before any service starts, as in production where they are provisioned: a
     * consumer that subscribes to a topic not yet created only notices it at its next metadata refresh, which
     * delayed the first revocation reaching the gateway by seconds.
     */
    static final List<String> TOPICS = List.of("auth.events", "connection.events", "claims.events",
            "auth.events.dlt", "connection.events.dlt", "claims.events.dlt");

    private LocalInfrastructure() {
    }

    public static void main(String[] args) throws Exception {
        int postgresPort = intEnv("POSTGRES_PORT", 15432);
        int redisPort = intEnv("REDIS_PORT", 16379);
        int kafkaPort = intEnv("KAFKA_PORT", 19092);
        Path dataDir = Path.of(env("CLINICWAVE_DATA_DIR", ".run/data")).toAbsolutePath();
        Path readyFile = Path.of(env("CLINICWAVE_INFRA_READY_FILE", ".run/infra.ready")).toAbsolutePath();
        Files.deleteIfExists(readyFile);

        CountDownLatch stop = new CountDownLatch(1);
        EmbeddedPostgres postgres = startPostgres(dataDir.resolve("postgres"), postgresPort);
        RedisServer redis = startRedis(redisPort);
        EmbeddedKafkaKraftBroker kafka = startKafka(kafkaPort);

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping local infrastructure");
            safely(kafka::destroy);
            safely(() -> redis.stop());
            safely(() -> postgres.close());
            safely(() -> Files.deleteIfExists(readyFile));
            stop.countDown();
        }, "local-infra-stop"));

        Files.createDirectories(readyFile.getParent());
        Files.writeString(readyFile, "postgres=" + postgresPort + "\nredis=" + redisPort + "\nkafka="
                + kafka.getBrokersAsString() + "\n");
        log.info("Local infrastructure ready: PostgreSQL :{} (databases {}), Redis :{}, Kafka {}", postgresPort,
                DATABASES, redisPort, kafka.getBrokersAsString());
        stop.await();
    }

    static EmbeddedPostgres startPostgres(Path dir, int port) throws IOException, SQLException {
        Files.createDirectories(dir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("max_connections", "200")
                .start();
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"), "postgres",
                "postgres"); Statement s = c.createStatement()) {
            for (String db : DATABASES) {
                try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + db + "'")) {
                    if (!rs.next()) {
                        s.execute("create database " + db);
                        log.info("Created database {}", db);
                    }
                }
            }
        }
        return postgres;
    }

    static RedisServer startRedis(int port) throws IOException {
        RedisServer redis = RedisServer.newRedisServer()
                .bind("127.0.0.1")
                .port(port)
                .setting("save \"\"")
                .setting("appendonly no")
                // Security state (deny-list, lockouts, OAuth state) is never evicted, as in production.
                .setting("maxmemory-policy noeviction")
                .build();
        redis.start();
        return redis;
    }

    /** Kafka keeps its log in a temporary directory: topics start empty on each run (the outboxes keep events). */
    static EmbeddedKafkaKraftBroker startKafka(int port) {
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 3);
        kafka.kafkaPorts(port);
        kafka.brokerProperty("auto.create.topics.enable", "true");
        kafka.brokerProperty("group.initial.rebalance.delay.ms", "0");
        kafka.afterPropertiesSet();
        kafka.addTopics(TOPICS.toArray(String[]::new));
        return kafka;
    }

    private interface Action {
        void run() throws Exception;
    }

    private static void safely(Action action) {
        try {
            action.run();
        } catch (Exception e) {
            log.warn("Shutdown step failed: {}", e.toString());
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static int intEnv(String name, int fallback) {
        return Integer.parseInt(env(name, String.valueOf(fallback)));
    }
}
