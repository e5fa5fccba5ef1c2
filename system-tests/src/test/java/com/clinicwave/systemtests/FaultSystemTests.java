package com.clinicwave.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: the local infrastructure processes of {@code bin/platform} (PostgreSQL and Redis are child processes of
 * dev-infra) are frozen with SIGSTOP for 10 s and thawed with SIGCONT, while the suite is used through the gateway.
 * Each fault is bounded (the processes are always thawed in a finally block); the measured times are printed, and the
 * assertions are on answers (status, problem code), with the client's own timeout as the bound the issue names.
 */
class FaultSystemTests extends SuiteSystemTest {

    private static final Duration STALL = Duration.ofSeconds(10);

    @Test
    void aFrozenPostgresMakesItsRoutesAnswerFast503sAndTheRestUnaffected() throws Exception {
        String bearer = "Bearer " + DemoUser.accessToken();
        String affected = GATEWAY + "/api/connections";
        String unaffected = GATEWAY + "/.well-known/openid-configuration";
        assertThat(get(affected, "Authorization", bearer).statusCode()).isEqualTo(200);
        assertThat(get(unaffected).statusCode()).isEqualTo(200);

        List<Long> postgres = postgresPids();
        List<String> answers = new ArrayList<>();
        long firstFastFailureMs = -1;
        long recoveryMs;
        int requests = 0;
        long stopped = System.nanoTime();
        signal("STOP", postgres);
        try {
            while (System.nanoTime() - stopped < STALL.toNanos()) {
                long sent = System.nanoTime();
                // The bound is the client's: an answer within 3 s, never a request left hanging.
                HttpResponse<String> answer = getWithin(affected, Duration.ofSeconds(3), "Authorization", bearer);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                assertThat(answer.headers().firstValue("Content-Type").orElse(""))
                        .startsWith("application/problem+json");
                assertThat(json(answer).path("code").asString()).isEqualTo("DATABASE_UNAVAILABLE");
                if (firstFastFailureMs < 0) {
                    firstFastFailureMs = (System.nanoTime() - sent) / 1_000_000;
                }
                answers.add(String.valueOf((System.nanoTime() - sent) / 1_000_000));
                HttpResponse<String> other = getWithin(unaffected, Duration.ofSeconds(3));
                assertThat(other.statusCode()).as("a route without the database").isEqualTo(200);
                requests++;
            }
        } finally {
            signal("CONT", postgres);
        }
        long thawed = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                getWithin(affected, Duration.ofSeconds(3), "Authorization", bearer).statusCode() == 200);
        recoveryMs = (System.nanoTime() - thawed) / 1_000_000;
        System.out.printf("PostgreSQL SIGSTOP %d s: %d requests to %s, all 503 DATABASE_UNAVAILABLE; first answer "
                + "after %d ms; answer times (ms) %s; recovered %d ms after SIGCONT%n", STALL.toSeconds(), requests,
                "/api/connections", firstFastFailureMs, answers, recoveryMs);
        assertThat(requests).isPositive();
    }

    @Test
    void aFrozenRedisKeepsTokensAndRevocationsWorkingAndRecoversWithoutRestarts() throws Exception {
        String kept = "Bearer " + DemoUser.newSession();
        String revokedBefore = "Bearer " + DemoUser.newSession();
        String revokedDuring = "Bearer " + DemoUser.newSession();
        String route = GATEWAY + "/api/connections";
        assertThat(get(route, "Authorization", kept).statusCode()).isEqualTo(200);
        assertThat(get(route, "Authorization", revokedDuring).statusCode()).isEqualTo(200);
        logout(revokedBefore);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                get(route, "Authorization", revokedBefore).statusCode() == 401);
        Map<String, List<Long>> before = Map.of("gateway", ReliabilitySystemTests.instancePids("gateway"),
                "auth-service", ReliabilitySystemTests.instancePids("auth-service"));

        long redis = redisPid();
        int served = 0;
        int logoutStatus;
        long stopped = System.nanoTime();
        signal("STOP", List.of(redis));
        try {
            HttpResponse<String> logout = postJson(GATEWAY + "/api/v1/auth/logout", Map.of(),
                    "Authorization", revokedDuring);
            logoutStatus = logout.statusCode();
            // Without Redis auth-service cannot end a session: a problem says so, never a 500 nor a 204 that
            // revoked nothing (the client keeps the session and can retry).
            assertThat(logoutStatus).as(logout.body()).isEqualTo(503);
            assertThat(logout.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(json(logout).path("code").asString()).isEqualTo("SECURITY_STATE_UNAVAILABLE");
            while (System.nanoTime() - stopped < STALL.toNanos()) {
                HttpResponse<String> ok = getWithin(route, Duration.ofSeconds(5), "Authorization", kept);
                assertThat(ok.statusCode()).as("a cached token while Redis is stopped: " + ok.body()).isEqualTo(200);
                assertThat(getWithin(route, Duration.ofSeconds(5), "Authorization", revokedBefore).statusCode())
                        .as("a token revoked before the outage").isEqualTo(401);
                served++;
                Thread.sleep(250);
            }
        } finally {
            signal("CONT", List.of(redis));
        }
        long thawed = System.nanoTime();
        // Recovery: a new login (its throttle lives in Redis) and the routes work again, with the same processes.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> postJson(
                GATEWAY + "/api/v1/auth/login", Map.of("username", DemoUser.USERNAME, "password", DemoUser.PASSWORD,
                        "tenant", DemoUser.TENANT)).statusCode() == 200);
        long recoveryMs = (System.nanoTime() - thawed) / 1_000_000;
        assertThat(get(route, "Authorization", kept).statusCode()).isEqualTo(200);
        assertThat(get(route, "Authorization", revokedBefore).statusCode()).isEqualTo(401);
        // The logout refused during the outage works now, and is enforced at the gateway.
        logout(revokedDuring);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                get(route, "Authorization", revokedDuring).statusCode() == 401);
        assertThat(ReliabilitySystemTests.instancePids("gateway")).isEqualTo(before.get("gateway"));
        assertThat(ReliabilitySystemTests.instancePids("auth-service")).isEqualTo(before.get("auth-service"));
        System.out.printf("Redis SIGSTOP %d s: %d rounds served (cached token 200, revoked token 401); logout during "
                + "the outage answered %d SECURITY_STATE_UNAVAILABLE (and worked after); login works again %d ms after SIGCONT, no process restarted%n",
                STALL.toSeconds(), served, logoutStatus, recoveryMs);
        assertThat(served).isPositive();
    }

    /**
     * Every athena-service route through the gateway while Redis (its connection and provider-token cache) is frozen:
     * the four routes of a connected patient, a stranger's connection and the API docs. Without the cache each call
     * asks provider-connection-service; whatever the answer, never a 500: 2xx, the 404 it always gives, or a 503
     * problem with a stable code, within the client's timeout. Answers and their times are printed.
     */
    @Test
    void aFrozenRedisNeverMakesAthenaServiceAnswer500() throws Exception {
        String bearer = "Bearer " + DemoUser.newSession();
        String userId = json(get(GATEWAY + "/api/v1/auth/me", "Authorization", bearer)).path("id").asString();
        String connection = connectWithSandbox("athenahealth", "patient-001", bearer, userId);
        List<String> routes = new ArrayList<>();
        for (String path : List.of("/patient", "/appointments", "/balance", "/claims?page_size=5")) {
            routes.add("/api/athena/connections/" + connection + path);
        }
        routes.add("/api/athena/connections/" + java.util.UUID.randomUUID() + "/patient");
        routes.add("/v3/api-docs/athena-service");
        for (String path : routes.subList(0, 4)) { // the connection's entries are now in Redis
            assertThat(get(GATEWAY + path, "Authorization", bearer).statusCode()).as(path).isEqualTo(200);
        }

        long redis = redisPid();
        List<String> answers = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        signal("STOP", List.of(redis));
        try {
            for (String path : routes) {
                long sent = System.nanoTime();
                HttpResponse<String> answer = getWithin(GATEWAY + path, Duration.ofSeconds(15), "Authorization",
                        bearer);
                String type = answer.headers().firstValue("Content-Type").orElse("");
                String code = type.startsWith("application/problem+json") ? json(answer).path("code").asString() : "";
                String route = path.replace(connection, "{id}").replaceAll("[0-9a-f-]{36}", "{other}");
                answers.add(route + " " + answer.statusCode() + (code.isEmpty() ? "" : " " + code) + " "
                        + (System.nanoTime() - sent) / 1_000_000 + " ms");
                if (answer.statusCode() >= 500 && !(answer.statusCode() == 503 && !code.isEmpty())) {
                    failures.add(route + " " + answer.statusCode() + " " + answer.body());
                }
            }
        } finally {
            signal("CONT", List.of(redis));
        }
        System.out.printf("Redis SIGSTOP: athena-service through the gateway: %s%n", answers);
        assertThat(failures).as("athena-service answers other than 2xx/4xx/503 problem while Redis is frozen")
                .isEmpty();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() ->
                get(GATEWAY + routes.get(0), "Authorization", bearer).statusCode() == 200);
    }

    private static void logout(String bearer) {
        HttpResponse<String> logout = postJson(GATEWAY + "/api/v1/auth/logout", Map.of(), "Authorization", bearer);
        assertThat(logout.statusCode()).as(logout.body()).isIn(200, 204);
    }

    static HttpResponse<String> getWithin(String url, Duration timeout, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET();
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder.build());
    }

    /** The embedded PostgreSQL's postmaster (from its data directory) and every process it forked. */
    static List<Long> postgresPids() throws IOException {
        Path pidFile = runDir().resolve("data/postgres/postmaster.pid");
        long postmaster = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(p -> pids.add(p.pid()));
        return pids;
    }

    /** The embedded Redis server: a child process of dev-infra. */
    static long redisPid() throws IOException {
        long infra = Long.parseLong(Files.readString(runDir().resolve("pids/infra.pid")).trim());
        try (Stream<ProcessHandle> children = ProcessHandle.of(infra).orElseThrow().descendants()) {
            return children.filter(p -> p.info().command().orElse("").contains("redis")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no redis-server under dev-infra (pid " + infra + ")"))
                    .pid();
        }
    }

    static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(String.valueOf(pid)));
        Process kill = new ProcessBuilder(command).inheritIO().start();
        assertThat(kill.waitFor()).as(String.join(" ", command)).isZero();
    }
}
