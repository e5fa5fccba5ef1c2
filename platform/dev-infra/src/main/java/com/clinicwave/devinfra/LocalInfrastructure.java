package com.clinicwave.devinfra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import redis.embedded.RedisServer;

/**
 * The local run's infrastructure: PostgreSQL (data kept under the data directory between runs, one database per
 * service), Redis and a single-node KRaft Kafka broker, on the ports bin/platform passes in. Which of them this
 * process runs is {@code CLINICWAVE_INFRA_PARTS} (comma-separated {@code postgres}, {@code redis}, {@code kafka};
 * default all three): bin/platform runs the broker as a process of its own ({@code kafka}), so it can be stopped,
 * frozen or restarted without PostgreSQL and Redis (issue 17's Kafka outage). Like PostgreSQL's, the broker's log
 * (topics, consumer-group offsets, its cluster id) is kept under the data directory, so a broker killed and started
 * again resumes where it was. Writes a ready file once its parts accept connections, and stops them on SIGTERM.
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

    public static void main(String[] args) {
        try {
            run();
        } catch (Exception e) {
            // A part that failed to start (a port in use, ...) leaves threads of the others behind: exit, so
            // bin/platform sees the process gone instead of waiting for a ready file.
            log.error("Local infrastructure failed to start", e);
            System.exit(1);
        }
    }

    private static void run() throws Exception {
        int postgresPort = intEnv("POSTGRES_PORT", 15432);
        int redisPort = intEnv("REDIS_PORT", 16379);
        int kafkaPort = intEnv("KAFKA_PORT", 19092);
        int controllerPort = intEnv("KAFKA_CONTROLLER_PORT", kafkaPort + 1);
        Path dataDir = Path.of(env("CLINICWAVE_DATA_DIR", ".run/data")).toAbsolutePath();
        Path readyFile = Path.of(env("CLINICWAVE_INFRA_READY_FILE", ".run/infra.ready")).toAbsolutePath();
        Files.deleteIfExists(readyFile);

        List<String> parts = List.of(env("CLINICWAVE_INFRA_PARTS", "postgres,redis,kafka").split(","));

        CountDownLatch stop = new CountDownLatch(1);
        EmbeddedPostgres postgres = parts.contains("postgres")
                ? startPostgres(dataDir.resolve("postgres"), postgresPort) : null;
        RedisServer redis = parts.contains("redis") ? startRedis(redisPort) : null;
        KafkaRaftServer kafka = parts.contains("kafka")
                ? startKafka(dataDir.resolve("kafka"), kafkaPort, controllerPort) : null;

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping local infrastructure {}", parts);
            if (kafka != null) {
                safely(() -> {
                    kafka.shutdown();
                    kafka.awaitShutdown();
                });
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

    /**
     * A single-node KRaft broker (broker and controller in one) whose log lives in {@code dir}: formatted once with a
     * new cluster id, then reused as it is, so a broker started again (after a crash, SIGKILL, or bin/platform down
     * and up) has the same cluster id, topics, records and committed consumer offsets, on the same port. A broker
     * killed mid-write recovers its log on start (unclean shutdown); the records it acknowledged are in the files
     * (the page cache outlives the process). Clients bootstrap from {@code localhost:port}.
     */
    static KafkaRaftServer startKafka(Path dir, int port, int controllerPort) throws Exception {
        Files.createDirectories(dir);
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        props.put("listeners", "LOCAL://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", "LOCAL://localhost:" + port);
        props.put("listener.security.protocol.map", "LOCAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "LOCAL");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("log.dirs", dir.toString());
        props.put("num.partitions", "3");
        props.put("auto.create.topics.enable", "true");
        props.put("group.initial.rebalance.delay.ms", "0");
        // One node: every internal topic has one replica; few coordinator partitions (a quick start).
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // A development broker's load: few threads, and the log cleaner's dedupe buffer (128 MB by default, for the
        // compacted __consumer_offsets) at 2 MB, as Kafka's own test brokers have it. ~100 MB less RSS.
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        props.put("num.network.threads", "1");
        props.put("num.io.threads", "2");
        props.put("background.threads", "2");
        props.put("num.recovery.threads.per.data.dir", "1");
        KafkaConfig config = new KafkaConfig(props, false);
        if (!Files.exists(dir.resolve("meta.properties"))) { // formatted before: kept as it is
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
            log.info("Formatted a new Kafka log in {}", dir);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        createTopics(port);
        log.info("Kafka broker on localhost:{} with its log in {}", port, dir);
        return server;
    }

    private static void createTopics(int port) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + port);
        try (Admin admin = Admin.create(props)) {
            Set<String> missing = new HashSet<>(TOPICS);
            missing.removeAll(admin.listTopics().names().get(60, TimeUnit.SECONDS));
            if (!missing.isEmpty()) {
                admin.createTopics(missing.stream().map(t -> new NewTopic(t, 3, (short) 1)).toList())
                        .all().get(60, TimeUnit.SECONDS);
                log.info("Created topics {}", missing);
            }
        }
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
