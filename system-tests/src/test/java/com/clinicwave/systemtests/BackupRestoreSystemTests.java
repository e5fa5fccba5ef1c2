package com.clinicwave.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 18: {@code bin/platform backup} and {@code bin/platform restore} against the running suite. The demo patient
 * connects a sandbox provider (its claims arrive) and ends a second session (an entry in Redis's deny-list); a backup
 * is taken; then a disaster: the auth, connections and claims databases are dropped (services running) and the
 * deny-list is deleted; the restore brings them back, and the API finds the same user, connection and claims, the
 * deny-list its entries. The procedure: docs/operations.md, "Backup and restore".
 */
class BackupRestoreSystemTests extends SuiteSystemTest {

    private static final List<String> DATABASES = List.of("auth", "connections", "claims");

    @Test
    void aBackupRestoredAfterTheDatabasesWereDroppedHasTheSameUsersConnectionsAndClaims() throws IOException {
        if (!onPath("pg_dump") || !onPath("pg_restore") || !onPath("psql")) {
            System.out.println("SKIPPED BackupRestoreSystemTests: pg_dump/pg_restore/psql are not installed (Debian: "
                    + "apt-get install postgresql-client; .ci/run installs it), so backup and restore were NOT tested");
        }
        assumeTrue(onPath("pg_dump") && onPath("pg_restore") && onPath("psql"), "postgresql-client is not installed");

        String bearer = "Bearer " + DemoUser.accessToken();
        String userId = json(get(GATEWAY + "/api/v1/auth/me", "Authorization", bearer)).path("id").asString();
        String connectionId = connectWithSandbox("epic", "patient-002", bearer, userId);
        String claimsUrl = GATEWAY + "/api/connections/" + connectionId + "/claims?size=100";
        awaitClaims(connectionId, bearer);
        Set<String> claims = claimIds(json(get(claimsUrl, "Authorization", bearer)));
        Set<String> connections = connectionIds(bearer);
        String ended = DemoUser.newSession();
        assertThat(postJson(GATEWAY + "/api/v1/auth/logout", Map.of(), "Authorization", "Bearer " + ended)
                .statusCode()).isIn(200, 204);
        long denied = redisInteger("ZCARD", "auth:revoked");
        assertThat(denied).as("deny-list entries after a logout").isPositive();

        Path backup = Files.createTempDirectory("clinicwave-backup").resolve("backup");
        try {
            long started = System.nanoTime();
            RunningSuite.run(List.of("bin/platform", "backup", backup.toString()), Duration.ofMinutes(2));
            long backedUp = System.nanoTime();
            assertThat(backup.resolve("manifest.txt")).content().contains("format=clinicwave-backup/1",
                    "postgres_server=", "pg_dump=", "schema_version.auth=");
            for (String db : DATABASES) {
                assertThat(backup.resolve(db + ".dump")).isNotEmptyFile();
            }
            assertThat(backup.resolve("SHA256SUMS")).content().contains("auth.dump", "redis-revoked.txt");
            long backedUpDenials = Files.readAllLines(backup.resolve("redis-revoked.txt")).stream()
                    .filter(l -> !l.isBlank()).count();
            assertThat(backedUpDenials).as("deny-list entries in the backup").isPositive();

            // The disaster: every service database gone while the services run, and the deny-list lost.
            for (String db : DATABASES) {
                psql("drop database " + db + " with (force)");
            }
            redisInteger("DEL", "auth:revoked");
            assertThat(get(GATEWAY + "/api/connections", "Authorization", bearer).statusCode())
                    .as("the API without its databases").isNotEqualTo(200);

            long wiped = System.nanoTime();
            RunningSuite.run(List.of("bin/platform", "restore", backup.toString()), Duration.ofMinutes(3));
            long restored = System.nanoTime();

            // The services reconnect by themselves (their pools open new connections to the restored databases).
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(connectionIds(bearer)).isEqualTo(connections));
            HttpResponse<String> login = postJson(GATEWAY + "/api/v1/auth/login", Map.of("username",
                    DemoUser.USERNAME, "password", DemoUser.PASSWORD, "tenant", DemoUser.TENANT));
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            String fresh = "Bearer " + json(login).path("access_token").asString();
            assertThat(json(get(GATEWAY + "/api/v1/auth/me", "Authorization", fresh)).path("id").asString())
                    .isEqualTo(userId);
            assertThat(claimIds(json(get(claimsUrl, "Authorization", fresh)))).isEqualTo(claims);
            assertThat(redisInteger("ZCARD", "auth:revoked")).as("deny-list entries restored")
                    .isEqualTo(backedUpDenials);
            System.out.printf("Backup %d ms, restore %d ms (%s)%n", (backedUp - started) / 1_000_000,
                    (restored - wiped) / 1_000_000, backup);
        } finally {
            try (Stream<Path> files = Files.walk(backup.getParent())) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Set<String> connectionIds(String bearer) {
        HttpResponse<String> list = get(GATEWAY + "/api/connections", "Authorization", bearer);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        Set<String> ids = new TreeSet<>();
        JsonNode body = json(list);
        (body.isArray() ? body : body.path("connections")).forEach(c -> ids.add(c.path("id").asString()));
        assertThat(ids).isNotEmpty();
        return ids;
    }

    private static Set<String> claimIds(JsonNode page) {
        Set<String> ids = new TreeSet<>();
        page.path("claims").forEach(c -> ids.add(c.path("id").asString()));
        assertThat(ids).isNotEmpty();
        return ids;
    }

    private static void psql(String sql) {
        try {
            ProcessBuilder builder = new ProcessBuilder("psql", "-X", "-v", "ON_ERROR_STOP=1", "-h", "localhost",
                    "-p", System.getenv().getOrDefault("POSTGRES_PORT", "15432"), "-U", "postgres", "-d", "postgres",
                    "-c", sql).redirectErrorStream(true);
            builder.environment().put("PGPASSWORD", "postgres");
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(sql + ": " + output).isZero();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One Redis command with an integer reply (RESP over a socket: the suite's Redis on 16379). */
    private static long redisInteger(String... command) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(System.getenv().getOrDefault("REDIS_PORT",
                "16379")))) {
            StringBuilder request = new StringBuilder("*" + command.length + "\r\n");
            for (String part : command) {
                request.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part)
                        .append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(reply).as(String.join(" ", command)).startsWith(":");
            return Long.parseLong(reply.substring(1));
        }
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }
}
