package com.clinicwave.systemtests;

import static com.clinicwave.systemtests.KafkaOutageSystemTests.db;
import static com.clinicwave.systemtests.KafkaOutageSystemTests.dbNow;
import static com.clinicwave.systemtests.KafkaOutageSystemTests.outboxIds;
import static com.clinicwave.systemtests.KafkaOutageSystemTests.pending;
import static com.clinicwave.systemtests.KafkaOutageSystemTests.relayFailed;
import static com.clinicwave.systemtests.KafkaOutageSystemTests.relayFailures;
import static com.clinicwave.systemtests.KafkaOutageSystemTests.sizes;
import static com.clinicwave.systemtests.KafkaOutageSystemTests.syncs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: the Kafka broker is killed (SIGKILL: a crash, or a redeploy that does not drain) and started again with
 * {@code bin/platform up}, as an operator would. Before the kill a connection is created (and applied by every
 * consumer) and deleted (its event may be on the broker unconsumed when it dies); while the broker is gone a second
 * connection is created, an API key revoked, a session logged out, refreshes and a login go on. The restarted broker
 * has the same cluster id and still holds the records written before the kill (its log is kept under the run's data
 * directory), every outbox row is published, and every event is applied exactly once: one audit row per connection
 * change (auth-service's trail), one initial sync per new connection, every processed-event mark. Times and counts
 * are printed ({@code -Dclinicwave.kafka-kill-seconds}, default 12, is how long the broker stays dead).
 */
class KafkaRestartSystemTests extends SuiteSystemTest {

    private static final Duration DEAD = Duration.ofSeconds(Long.getLong("clinicwave.kafka-kill-seconds", 12));

    @Test
    void aKilledBrokerRestartsWithItsLogAndEveryEventIsAppliedOnce() throws Exception {
        String route = GATEWAY + "/api/connections";
        KafkaOutageSystemTests.Actor user = KafkaOutageSystemTests.Actor.create("kafka-kill-");

        // Before the kill: a connection whose events every consumer has applied (committed offsets on the broker).
        Timestamp since = dbNow();
        String before = connectWithSandbox("epic", "patient-002", user.bearer, user.userId);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                audits("connection.created", before) == 1 && syncs(before, since) == 1
                        && pending("connections", since) + pending("claims", since) == 0);
        String clusterBefore = clusterId();
        Map<String, List<String>> beforeKill = Map.of("connections", outboxIds("connections", since),
                "claims", outboxIds("claims", since));
        // ... and one deleted just before: its event may be on the broker, not yet consumed, when the broker dies.
        HttpResponse<String> deleted = send(HttpRequest.newBuilder(URI.create(route + "/" + before))
                .header("Authorization", user.bearer).DELETE().build());
        assertThat(deleted.statusCode()).as(deleted.body()).isIn(200, 204);

        Map<Integer, Double> failuresBefore = relayFailures();
        long kafka = Long.parseLong(Files.readString(runDir().resolve("pids/kafka.pid")).trim());
        int requests = 0;
        long firstRelayFailureMs = -1;
        Map<String, Long> pendingDuring;
        long killed = System.nanoTime();
        FaultSystemTests.signal("KILL", List.of(kafka));
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(kafka).map(p -> !p.isAlive()).orElse(true));
        String during = connectWithSandbox("athenahealth", "patient-003", user.bearer, user.userId);
        // The gateway learns a logout from the Redis channel: no broker needed.
        long logoutRefusedMs = user.revokeKeyAndLogOut();
        requests += 5;
        while (System.nanoTime() - killed < DEAD.toNanos()) {
            user.refreshAndList(during);
            requests += 2;
            if (firstRelayFailureMs < 0 && relayFailed(failuresBefore)) {
                firstRelayFailureMs = (System.nanoTime() - killed) / 1_000_000;
            }
            Thread.sleep(1000); // pacing: about one refresh a second, as a client would
        }
        user.logIn();
        requests++;
        pendingDuring = Map.of("auth", pending("auth", since), "connections", pending("connections", since));
        assertThat(pendingDuring.values()).as("outbox rows waiting while the broker is dead").allMatch(n -> n > 0);

        // The operator's way back: bin/platform up starts what is not running (only the broker).
        long restart = System.nanoTime();
        RunningSuite.run(List.of("bin/platform", "up", "--no-build"), Duration.ofMinutes(2));
        long upMs = (System.nanoTime() - restart) / 1_000_000;
        assertThat(clusterId()).as("the restarted broker's cluster id").isEqualTo(clusterBefore);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                pending("auth", since) + pending("connections", since) == 0);
        long publishedMs = (System.nanoTime() - restart) / 1_000_000;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                get(route, "X-API-Key", user.apiKey).statusCode() == 401);
        long keyRefusedMs = (System.nanoTime() - restart) / 1_000_000;
        Map<String, List<String>> events = KafkaOutageSystemTests.awaitApplied(since, during);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                audits("connection.deleted", before) > 0 && audits("connection.created", during) > 0);
        long appliedMs = (System.nanoTime() - restart) / 1_000_000;

        KafkaOutageSystemTests.Delivery delivery = KafkaOutageSystemTests.delivery(events);
        Map<String, Integer> copies = delivery.copies();
        int keptFromBefore = (int) beforeKill.values().stream().flatMap(List::stream).filter(copies::containsKey).count();
        int beforeCount = beforeKill.values().stream().mapToInt(List::size).sum();
        // Effects: one audit row per connection change, one initial sync per new connection.
        Map<String, Integer> effects = Map.of(
                "audit connection.created (before)", audits("connection.created", before),
                "audit connection.deleted (just before)", audits("connection.deleted", before),
                "audit connection.created (during)", audits("connection.created", during),
                "claims.synced (before)", syncs(before, since),
                "claims.synced (during)", syncs(during, since));
        long duplicatedEffects = effects.values().stream().mapToInt(n -> Math.max(n - 1, 0)).sum();
        System.out.printf("Kafka SIGKILL, dead %d s: %d API requests meanwhile, all answered (the logout refused at "
                + "the gateway after %d ms); outbox rows waiting: %s; "
                + "first relay failure %s after the kill; bin/platform up brought the broker back in %d ms (same "
                + "cluster id), all published %d ms after the restart began, the API key revoked meanwhile refused "
                + "after %d ms, every event applied after %d ms; %d outbox rows (%s), %d lost, %d extra copies on the "
                + "topics, %d of the %d records written before the kill still on the topics; effects %s, %d "
                + "duplicated%n", DEAD.toSeconds(), requests, logoutRefusedMs, pendingDuring,
                firstRelayFailureMs < 0 ? "not seen" : firstRelayFailureMs + " ms", upMs, publishedMs, keyRefusedMs,
                appliedMs, delivery.rows(), sizes(events), delivery.lost().size(), delivery.extraCopies(),
                keptFromBefore, beforeCount, effects,
                duplicatedEffects);
        assertThat(keptFromBefore).as("records written before the kill, still in the restarted broker's log")
                .isEqualTo(beforeCount);
        assertThat(delivery.lost()).as("events that never reached their topic").isEmpty();
        assertThat(effects).allSatisfy((effect, n) -> assertThat(n).as(effect).isEqualTo(1));
    }

    /** auth-service's audit trail: rows recording the given change of the connection. */
    private static int audits(String action, String connectionId) throws SQLException {
        try (Connection c = db("auth"); PreparedStatement s = c.prepareStatement(
                "select count(*) from audit_event where event_type = ? and detail like ?")) {
            s.setString(1, action);
            s.setString(2, "connection_id=" + connectionId + "%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String clusterId() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Files.readString(runDir().resolve("kafka.ready"))
                .lines().filter(l -> l.startsWith("kafka=")).findFirst().orElseThrow().substring("kafka=".length()));
        try (Admin admin = Admin.create(props)) {
            return admin.describeCluster().clusterId().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
