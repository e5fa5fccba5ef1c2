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
 * The local run's infrastructure: PostgreSQL (data kept under the data directory between runs, one database per
 * service), Redis and a single-node KRaft Kafka broker, on the ports bin/platform passes in. Which of them this
 * process runs is {@code CLINICWAVE_INFRA_PARTS} (comma-separated {@code postgres}, {@code redis}, {@code kafka};
 * default all three): bin/platform runs the broker as a process of its own ({@code kafka}), so it can be stopped,
 * frozen or restarted without PostgreSQL and Redis (issue 17's Kafka outage). Writes a ready file once its parts
 * accept connections, and stops them on SIGTERM.
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

        List<String> parts = List.of(env("CLINICWAVE_INFRA_PARTS", "postgres,redis,kafka").split(","));

        CountDownLatch stop = new CountDownLatch(1);
        EmbeddedPostgres postgres = parts.contains("postgres")
                ? startPostgres(dataDir.resolve("postgres"), postgresPort) : null;
        RedisServer redis = parts.contains("redis") ? startRedis(redisPort) : null;
        EmbeddedKafkaKraftBroker kafka = parts.contains("kafka") ? startKafka(kafkaPort) : null;

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping local infrastructure {}", parts);
            if (kafka != null) {
                safely(kafka::destroy);
            }
            if (redis != null) {
                safely(redis::stop);
            }
            if (postgres != null) {
                safely(postgres::close);
            }
            safely(() -> Files.deleteIfExists(readyFile));
            stop.countDown();
        }, "local-infra-stop"));

        StringBuilder ready = new StringBuilder();
        if (postgres != null) {
            ready.append("postgres=").append(postgresPort).append('\n');
        }
        if (redis != null) {
            ready.append("redis=").append(redisPort).append('\n');
        }
        if (kafka != null) {
            ready.append("kafka=localhost:").append(kafkaPort).append('\n');
        }
        Files.createDirectories(readyFile.getParent());
        Files.writeString(readyFile, ready);
        log.info("Local infrastructure ready: {}", ready.toString().strip().replace('\n', ' '));
        // Unpacking PostgreSQL and starting the broker leave garbage behind: one full collection lets the heap
        // shrink to what the process keeps (bin/platform runs it with MaxHeapFreeRatio), ~100 MB less RSS.
        System.gc();
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

    /** The broker listens on {@code port}. Kafka keeps its log in a temporary directory: topics start empty on each run (the outboxes keep events). */
    static EmbeddedKafkaKraftBroker startKafka(int port) {
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 3);
        // The KRaft test kit ignores kafkaPorts(..) and binds its own listeners to sockets it opened on free ports. A
        // third listener on the fixed port is bound as configured (the kit only fills in listener settings that are
        // absent): the services bootstrap from it, and a broker started again has the same address.
        kafka.brokerProperty("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,LOCAL://localhost:" + port);
        kafka.brokerProperty("listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,LOCAL:PLAINTEXT");
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
