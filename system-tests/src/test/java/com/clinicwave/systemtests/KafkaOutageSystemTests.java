package com.clinicwave.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: the Kafka broker (its own process under bin/platform, {@code .run/pids/kafka.pid}) is frozen with
 * SIGSTOP for 30 s ({@code -Dclinicwave.kafka-outage-seconds} shortens it for a local run) while a user connects two
 * providers, deletes one connection, revokes an API key, logs a session out, logs in and refreshes. The API keeps
 * answering (the events wait in the services' transactional outboxes), a logged-out token is refused at the gateway
 * at once (Redis channel, not Kafka); after SIGCONT every outbox row of the test is published, every consumer has
 * applied every event exactly once (its processed-event mark; the new connection had one initial sync), whatever
 * copies the relay's retries put on the topics, and the API key revoked during the outage is refused. Times and counts are printed.
 */
class KafkaOutageSystemTests extends SuiteSystemTest {

    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("clinicwave.kafka-outage-seconds", 30));
    private static final String POSTGRES = "jdbc:postgresql://localhost:"
            + System.getenv().getOrDefault("POSTGRES_PORT", "15432") + "/";
    private static final Pattern EVENT_ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern FAILURES = Pattern.compile("(?m)^clinicwave_outbox_failures_total\\{[^}]*} ([0-9.E]+)");

    /** Outbox database → the consumer (database, processed-event consumer name) that applies its events. */
    record Flow(String outboxDb, String topic, String consumerDb, String consumer) {
    }

    static final List<Flow> CONSUMED = List.of(
            new Flow("connections", "connection.events", "claims", "claims-service.connection-events"),
            new Flow("claims", "claims.events", "connections", "provider-connection-service.claims-synced"));

    @Test
    void eventsWrittenWhileKafkaIsStoppedAreDeliveredOnceAndSessionsKeepWorking() throws Exception {
        String route = GATEWAY + "/api/connections";
        Actor user = Actor.create("kafka-outage-");
        assertThat(get(route, "Authorization", user.loggedOut).statusCode()).isEqualTo(200);

        Timestamp since = dbNow();
        Map<Integer, Double> failuresBefore = relayFailures();
        long kafka = Long.parseLong(Files.readString(runDir().resolve("pids/kafka.pid")).trim());
        int requests = 0;
        int refreshes = 0;
        long logoutRefusedMs;
        long firstRelayFailureMs = -1;
        Map<String, Long> pendingDuring;
        String kept;
        long stopped = System.nanoTime();
        FaultSystemTests.signal("STOP", List.of(kafka));
        try {
            // Writes whose events go through Kafka: two connections, one deleted, an API key revoked, a logout.
            kept = connectWithSandbox("epic", "patient-002", user.bearer, user.userId);
            String deleted = connectWithSandbox("athenahealth", "patient-003", user.bearer, user.userId);
            HttpResponse<String> delete = send(HttpRequest.newBuilder(URI.create(route + "/" + deleted))
                    .header("Authorization", user.bearer).DELETE().build());
            assertThat(delete.statusCode()).as(delete.body()).isIn(200, 204);
            // The gateway learns a logout from the Redis channel: Kafka being down does not delay it.
            logoutRefusedMs = user.revokeKeyAndLogOut();
            requests += 6;

            // Until the broker returns: logins, refreshes and the API keep working.
            while (System.nanoTime() - stopped < OUTAGE.toNanos()) {
                user.refreshAndList(kept);
                refreshes++;
                requests += 2;
                if (firstRelayFailureMs < 0 && relayFailed(failuresBefore)) {
                    firstRelayFailureMs = (System.nanoTime() - stopped) / 1_000_000;
                }
                Thread.sleep(1000);
            }
            user.logIn();
            requests++;
            pendingDuring = Map.of("auth", pending("auth", since), "connections", pending("connections", since));
        } finally {
            FaultSystemTests.signal("CONT", List.of(kafka));
        }
        long thawed = System.nanoTime();
        assertThat(pendingDuring.values()).as("outbox rows waiting while Kafka was stopped").allMatch(n -> n > 0);

        // Every outbox row written since the outage began is published, then applied by its consumer.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                pending("auth", since) + pending("connections", since) == 0);
        long publishedMs = (System.nanoTime() - thawed) / 1_000_000;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                get(route, "X-API-Key", user.apiKey).statusCode() == 401);
        long keyRefusedMs = (System.nanoTime() - thawed) / 1_000_000;
        // claims.events come from the initial syncs of the new connection, which start once its event arrived.
        Map<String, List<String>> events = awaitApplied(since, kept);
        long appliedMs = (System.nanoTime() - thawed) / 1_000_000;

        Delivery delivery = delivery(events);
        // A connection.created applied twice would start two initial syncs (two claims.synced events).
        int duplicatedEffects = syncs(kept, since) - 1;
        System.out.printf("Kafka SIGSTOP %d s: %d API requests during it (%d refreshes), all answered; logout refused "
                + "at the gateway %d ms after it was answered; outbox rows waiting: %s; first relay failure %s after "
                + "SIGSTOP; after SIGCONT all published in %d ms, the API key revoked during the outage refused after "
                + "%d ms, every event applied after %d ms; %d outbox rows (%s), %d delivered, %d lost, %d extra copies "
                + "on the topics, %d duplicated effects%n", OUTAGE.toSeconds(), requests, refreshes, logoutRefusedMs,
                pendingDuring, firstRelayFailureMs < 0 ? "not seen" : firstRelayFailureMs + " ms", publishedMs,
                keyRefusedMs, appliedMs, delivery.rows(), sizes(events), delivery.delivered(), delivery.lost().size(),
                delivery.extraCopies(), duplicatedEffects);
        assertThat(delivery.lost()).as("events written during the outage that never reached their topic").isEmpty();
        assertThat(duplicatedEffects).isZero();
        assertThat(delivery.delivered()).isEqualTo(delivery.rows());
    }

    /**
     * Waits (up to 60 s) until every outbox row written since {@code since} is published and applied by its consumer
     * (processed-event marks), and the connection had its initial sync; answers the outbox ids per database.
     */
    static Map<String, List<String>> awaitApplied(Timestamp since, String connection) {
        Map<String, List<String>> events = new HashMap<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (String db : List.of("auth", "connections", "claims")) {
                events.put(db, outboxIds(db, since));
                assertThat(pending(db, since)).as("unpublished outbox rows in " + db).isZero();
            }
            assertThat(syncs(connection, since)).as("claims.synced of the new connection").isPositive();
            for (Flow flow : CONSUMED) {
                assertThat(processed(flow, events.get(flow.outboxDb()))).as(flow.consumer())
                        .isEqualTo(events.get(flow.outboxDb()).size());
            }
        });
        return events;
    }

    /** Outbox rows, how many of them are on their topics, the ones that are not, and extra copies on the topics. */
    record Delivery(int rows, int delivered, List<String> lost, int extraCopies, Map<String, Integer> copies) {
    }

    static Delivery delivery(Map<String, List<String>> events) throws Exception {
        Map<String, Integer> copies = topicCopies(events);
        int rows = 0;
        int delivered = 0;
        int extra = 0;
        List<String> lost = new ArrayList<>();
        for (List<String> ids : events.values()) {
            for (String id : ids) {
                int n = copies.getOrDefault(id, 0);
                if (n == 0) {
                    lost.add(id);
                }
                rows++;
                delivered += Math.min(n, 1);
                extra += Math.max(n - 1, 0);
            }
        }
        return new Delivery(rows, delivered, lost, extra, copies);
    }

    /**
     * A user of the drills: an API key of the demo user (cached by the gateway), a new account with two sessions (one
     * to be logged out), its bearer and refresh token.
     */
    static final class Actor {
        final String demo = "Bearer " + DemoUser.accessToken();
        final String apiKey;
        final String apiKeyId;
        final String username;
        final String password;
        final String loggedOut;
        final String userId;
        String bearer;
        String refresh;

        private Actor(String prefix) {
            String route = GATEWAY + "/api/connections";
            HttpResponse<String> key = postJson(GATEWAY + "/api/v1/auth/api-key", Map.of("name", prefix
                    + System.nanoTime(), "scopes", List.of("connections:read"), "expires_in_days", 1),
                    "Authorization", demo);
            assertThat(key.statusCode()).as(key.body()).isIn(200, 201);
            apiKey = json(key).path("api_key").asString();
            apiKeyId = json(key).path("id").asString();
            assertThat(get(route, "X-API-Key", apiKey).statusCode()).isEqualTo(200); // the gateway now caches the key
            username = prefix + UUID.randomUUID().toString().substring(0, 8);
            password = "drill-pass-" + UUID.randomUUID().toString().substring(0, 8);
            register(username, password);
            Map<String, String> first = login(username, password);
            loggedOut = "Bearer " + login(username, password).get("access_token");
            bearer = "Bearer " + first.get("access_token");
            refresh = first.get("refresh_token");
            userId = json(get(GATEWAY + "/api/v1/auth/me", "Authorization", bearer)).path("id").asString();
        }

        static Actor create(String prefix) {
            return new Actor(prefix);
        }

        /** Revokes the API key and logs the second session out; answers the ms until the gateway refuses it. */
        long revokeKeyAndLogOut() {
            String route = GATEWAY + "/api/connections";
            HttpResponse<String> revokeKey = send(HttpRequest.newBuilder(URI.create(GATEWAY + "/api/v1/auth/api-keys/"
                    + apiKeyId)).header("Authorization", demo).DELETE().build());
            assertThat(revokeKey.statusCode()).as(revokeKey.body()).isIn(200, 204);
            HttpResponse<String> logout = postJson(GATEWAY + "/api/v1/auth/logout", Map.of(), "Authorization",
                    loggedOut);
            assertThat(logout.statusCode()).as(logout.body()).isIn(200, 204);
            long loggedOutAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).until(() ->
                    get(route, "Authorization", loggedOut).statusCode() == 401);
            return (System.nanoTime() - loggedOutAt) / 1_000_000;
        }

        /** One refresh (the new tokens replace the old) and the connection list with them, which shows the connection. */
        void refreshAndList(String connection) {
            HttpResponse<String> refreshed = postJson(GATEWAY + "/api/v1/auth/refresh", Map.of("refresh_token", refresh));
            assertThat(refreshed.statusCode()).as("refresh: " + refreshed.body()).isEqualTo(200);
            refresh = json(refreshed).path("refresh_token").asString();
            bearer = "Bearer " + json(refreshed).path("access_token").asString();
            HttpResponse<String> list = get(GATEWAY + "/api/connections", "Authorization", bearer);
            assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
            assertThat(list.body()).contains(connection);
        }

        void logIn() {
            login(username, password);
        }
    }

    static void register(String username, String password) {
        HttpResponse<String> registered = postJson(GATEWAY + "/api/v1/auth/register",
                Map.of("username", username, "password", password, "tenant", DemoUser.TENANT));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    }

    static Map<String, String> login(String username, String password) {
        HttpResponse<String> login = postJson(GATEWAY + "/api/v1/auth/login",
                Map.of("username", username, "password", password, "tenant", DemoUser.TENANT));
        assertThat(login.statusCode()).as("login: " + login.body()).isEqualTo(200);
        return Map.of("access_token", json(login).path("access_token").asString(),
                "refresh_token", json(login).path("refresh_token").asString());
    }

    static Map<String, Integer> sizes(Map<String, List<String>> events) {
        Map<String, Integer> sizes = new HashMap<>();
        events.forEach((db, ids) -> sizes.put(db, ids.size()));
        return sizes;
    }

    /** auth-service and provider-connection-service: the relay's failure counters (management ports). */
    static Map<Integer, Double> relayFailures() {
        Map<Integer, Double> counts = new HashMap<>();
        for (int port : List.of(9000, 8081)) {
            Matcher m = FAILURES.matcher(get("http://localhost:" + port + "/actuator/prometheus").body());
            counts.put(port, m.find() ? Double.parseDouble(m.group(1)) : 0);
        }
        return counts;
    }

    static boolean relayFailed(Map<Integer, Double> before) {
        Map<Integer, Double> now = relayFailures();
        return now.entrySet().stream().anyMatch(e -> e.getValue() > before.get(e.getKey()));
    }

    static Connection db(String name) throws SQLException {
        return DriverManager.getConnection(POSTGRES + name, "postgres", "postgres");
    }

    static Timestamp dbNow() throws SQLException {
        try (Connection c = db("auth"); ResultSet rs = c.createStatement().executeQuery("select now()")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    static long pending(String db, Timestamp since) throws SQLException {
        try (Connection c = db(db); PreparedStatement s = c.prepareStatement(
                "select count(*) from event_outbox where created_at >= ? and published_at is null")) {
            s.setTimestamp(1, since);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static List<String> outboxIds(String db, Timestamp since) throws SQLException {
        try (Connection c = db(db); PreparedStatement s = c.prepareStatement(
                "select id from event_outbox where created_at >= ? order by created_at")) {
            s.setTimestamp(1, since);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    /** How many of the events the consumer has marked as applied (at most one mark each: the primary key). */
    static int processed(Flow flow, List<String> ids) throws SQLException {
        try (Connection c = db(flow.consumerDb()); PreparedStatement s = c.prepareStatement(
                "select count(distinct event_id) from processed_event where consumer = ? and event_id = any(?)")) {
            s.setString(1, flow.consumer());
            s.setArray(2, c.createArrayOf("varchar", ids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    static int syncs(String connectionId, Timestamp since) throws SQLException {
        try (Connection c = db("claims"); PreparedStatement s = c.prepareStatement("select count(*) from event_outbox "
                + "where created_at >= ? and event_type = 'claims.synced' and event_key = ?")) {
            s.setTimestamp(1, since);
            s.setString(2, connectionId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Reads the platform's topics from the beginning and counts the records of each of the given events. */
    static Map<String, Integer> topicCopies(Map<String, List<String>> events) throws Exception {
        Set<String> wanted = new java.util.HashSet<>();
        events.values().forEach(wanted::addAll);
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Files.readString(runDir().resolve("kafka.ready"))
                .lines().filter(l -> l.startsWith("kafka=")).findFirst().orElseThrow().substring("kafka=".length()));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, Integer> copies = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of("auth.events", "connection.events", "claims.events")) {
                consumer.partitionsFor(topic, Duration.ofSeconds(10))
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("reading the topics to their end").isLessThan(deadline);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    String value = record.value() == null ? "" : record.value();
                    // The envelope's id, without parsing records that are not envelopes.
                    Matcher id = EVENT_ID.matcher(value);
                    if (id.find() && wanted.contains(id.group(1))) {
                        copies.merge(id.group(1), 1, Integer::sum);
                    }
                }
            }
        }
        return copies;
    }
}
