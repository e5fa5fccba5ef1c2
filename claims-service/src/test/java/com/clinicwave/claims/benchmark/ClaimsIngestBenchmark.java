package com.clinicwave.claims.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.clinicwave.claims.connections.ConnectionStore;
import com.clinicwave.claims.sync.SyncRun;
import com.clinicwave.claims.sync.SyncService;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Not a test (surefire's default includes skip it): ingests {@code bench.claims} (default 100 000) FHIR
 * ExplanationOfBenefit resources from an in-process FHIR server that generates them page by page, and prints claims
 * per second, total time and the JVM's resident set size. Run with
 * {@code ./mvnw -o -q -B -pl claims-service test -Dtest=ClaimsIngestBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Kafka is left out (its embedded broker would run inside this JVM and inflate the RSS); the outbox rows are written
 * all the same.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "clinicwave.test.kafka.enabled=false",
    "spring.kafka.listener.auto-startup=false",
    "spring.kafka.producer.properties.max.block.ms=1000",
    "spring.kafka.admin.auto-create=false",
    "clinicwave.outbox.poll-interval=1h",
    "clinicwave.service-client.client-secret=bench",
    "clinicwave.claims.services.load-balanced=false",
    "clinicwave.claims.sync.scheduler-enabled=false",
    "clinicwave.claims.sync.manual-wait=30m"})
class ClaimsIngestBenchmark {

    private static final int CLAIMS = Integer.getInteger("bench.claims", 100_000);
    private static final int PAGE = Integer.getInteger("bench.page-size", 200);
    private static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");
    private static final AtomicLong pagesServed = new AtomicLong();
    private static final HttpServer fhir = start();

    @Autowired
    SyncService syncs;

    @Autowired
    ConnectionStore connections;

    @Autowired
    JdbcClient jdbc;

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.createContext("/oauth2/token", ex -> reply(ex,
                    "{\"access_token\":\"svc\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
            server.createContext("/internal/connections/", ex -> reply(ex, """
                    {"connection_id":"x","access_token":"provider","token_type":"Bearer",
                     "fhir_base_url":"http://127.0.0.1:%d/fhir","patient_id":"patient-large"}
                    """.formatted(server.getAddress().getPort())));
            server.createContext("/fhir/ExplanationOfBenefit", ex -> reply(ex, page(server, ex)));
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        fhir.stop(0);
    }

    @DynamicPropertySource
    static void urls(DynamicPropertyRegistry registry) {
        String base = "http://127.0.0.1:" + fhir.getAddress().getPort();
        registry.add("clinicwave.service-client.token-url", () -> base + "/oauth2/token");
        registry.add("clinicwave.claims.services.provider-connections", () -> base);
        registry.add("clinicwave.claims.sync.page-size", () -> PAGE);
        // The stand-in FHIR server is http on this machine, as the sandbox is in the local profile.
        registry.add("clinicwave.provider-urls.enforced", () -> "false");
    }

    private static String page(HttpServer server, HttpExchange ex) {
        String query = ex.getRequestURI().getQuery();
        int offset = 0;
        for (String part : query.split("&")) {
            if (part.startsWith("_offset=")) {
                offset = Integer.parseInt(part.substring(8));
            } else if (part.startsWith("_lastUpdated=ge")) {
                // Resource i was last updated at BASE + i seconds: an incremental search starts at the cursor.
                Instant cursor = Instant.parse(java.net.URLDecoder.decode(part.substring(15), StandardCharsets.UTF_8));
                offset = Math.max(offset, (int) Duration.between(BASE, cursor).toSeconds());
            }
        }
        pagesServed.incrementAndGet();
        StringBuilder json = new StringBuilder(PAGE * 1200);
        json.append("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":").append(CLAIMS);
        int end = Math.min(CLAIMS, offset + PAGE);
        if (end < CLAIMS) {
            json.append(",\"link\":[{\"relation\":\"next\",\"url\":\"http://127.0.0.1:")
                    .append(server.getAddress().getPort())
                    .append("/fhir/ExplanationOfBenefit?patient=patient-large&_count=").append(PAGE)
                    .append(query.contains("_lastUpdated") ? "&" + query.replaceAll(".*(_lastUpdated=[^&]*).*", "$1") : "")
                    .append("&_offset=").append(end).append("\"}]");
        }
        json.append(",\"entry\":[");
        for (int i = offset; i < end; i++) {
            if (i > offset) {
                json.append(',');
            }
            json.append("""
                    {"resource":{"resourceType":"ExplanationOfBenefit","id":"eob-%d",
                    "meta":{"lastUpdated":"%s"},"status":"active","outcome":"complete",
                    "type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/claim-type","code":"professional"}]},
                    "use":"claim","patient":{"reference":"Patient/patient-large","display":"Large Patient"},
                    "billablePeriod":{"start":"%s"},"created":"%s",
                    "provider":{"reference":"Organization/o1","display":"Downtown Clinic %d"},
                    "item":[{"sequence":1,"productOrService":{"text":"Office visit, established patient"},
                    "net":{"value":%d.%02d,"currency":"USD"}}],
                    "total":[{"category":{"coding":[{"code":"submitted"}]},"amount":{"value":%d.%02d,"currency":"USD"}},
                    {"category":{"coding":[{"code":"memberliability"}]},"amount":{"value":%d.00,"currency":"USD"}}]}}
                    """.formatted(i, BASE.plusSeconds(i), LocalDate.of(2020, 1, 1).plusDays(i % 1800),
                    LocalDate.of(2020, 1, 1).plusDays(i % 1800), i % 50, 100 + i % 900, i % 100, 100 + i % 900,
                    i % 100, i % 40));
        }
        return json.append("]}").toString();
    }

    private static void reply(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/fhir+json");
        ex.sendResponseHeaders(200, bytes.length);
        try (var out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).substring(0, 14);
        } catch (IOException e) {
            return "?";
        }
    }

    private static long rssKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** CPU seconds of this JVM (the service and the stand-in FHIR server). */
    private static double jvmCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /**
     * CPU seconds of the PostgreSQL server listening on {@code port} (the postmaster, its live backends, and the
     * children it has reaped), from /proc.
     */
    private static double postgresCpuSeconds(String port) {
        java.util.Map<Long, long[]> stats = new java.util.HashMap<>();
        java.util.Set<Long> roots = new java.util.HashSet<>();
        try (var pids = Files.list(Path.of("/proc"))) {
            for (Path dir : pids.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(dir.getFileName().toString());
                    stats.put(pid, new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12]),
                        Long.parseLong(f[13]) + Long.parseLong(f[14])});
                    List<String> cmd = List.of(Files.readString(dir.resolve("cmdline")).split("\0"));
                    int p = cmd.indexOf("-p");
                    if (!cmd.isEmpty() && cmd.getFirst().endsWith("/postgres") && p > 0 && p + 1 < cmd.size()
                            && cmd.get(p + 1).equals(port)) {
                        roots.add(pid);
                    }
                } catch (IOException | RuntimeException e) {
                    // Gone meanwhile.
                }
            }
        } catch (IOException e) {
            return -1;
        }
        long ticks = 0;
        for (var entry : stats.entrySet()) {
            long[] v = entry.getValue();
            if (roots.contains(entry.getKey())) {
                ticks += v[1] + v[2];
            } else if (roots.contains(v[0])) {
                ticks += v[1];
            }
        }
        return ticks / 100.0; // USER_HZ, 100 on Linux
    }

    @Test
    void ingest() throws Exception {
        UUID connection = UUID.randomUUID();
        connections.upsertCreated(connection, "bench-user", "bench-tenant", "trellis", "fhir", "active");
        long rssBefore = rssKb("VmRSS");
        long[] peakDuring = {0};
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakDuring[0] = Math.max(peakDuring[0], rssKb("VmRSS"));
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        double cpuBefore = jvmCpuSeconds();
        String port = jdbc.sql("show port").query(String.class).single();
        double childCpuBefore = postgresCpuSeconds(port);
        long start = System.nanoTime();
        SyncService.Started started = syncs.start(connections.find(connection).orElseThrow(), "manual");
        SyncRun run = syncs.await(started.syncId(), Duration.ofMinutes(30));
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = jvmCpuSeconds() - cpuBefore;
        double childCpu = postgresCpuSeconds(port) - childCpuBefore;
        sampler.interrupt();
        sampler.join();

        long stored = jdbc.sql("select count(*) from claim where connection_id = :id").param("id", connection)
                .query(Long.class).single();
        long againStart = System.nanoTime();
        SyncRun again = syncs.await(syncs.start(connections.find(connection).orElseThrow(), "manual").syncId(),
                Duration.ofMinutes(30));
        double againSeconds = (System.nanoTime() - againStart) / 1e9;

        System.out.printf("""

                ===== claims-service ingest benchmark =====
                claims: %d in pages of %d (%d pages served)
                first sync: status %s, created %d, total %.1f s, %.0f claims/s
                CPU during the first sync: JVM %.1f s (%.0f µs per claim), PostgreSQL %.1f s; load average %s
                JVM RSS: %d MB before, %d MB peak during the sync (VmHWM %d MB), heap limit %d MB
                incremental re-sync (cursor = highest lastUpdated): status %s, %d changed, %d unchanged, %.2f s
                ===========================================
                %n""", CLAIMS, PAGE, pagesServed.get(), run.status(), run.claimsCreated(), seconds,
                CLAIMS / seconds, cpu, cpu * 1e6 / CLAIMS, childCpu, loadAverage(), rssBefore / 1024, peakDuring[0] / 1024, rssKb("VmHWM") / 1024,
                Runtime.getRuntime().maxMemory() / (1024 * 1024), again.status(),
                again.claimsCreated() + again.claimsUpdated(), again.claimsUnchanged(), againSeconds);
        assertThat(run.status()).isEqualTo("succeeded");
        assertThat(stored).isEqualTo(CLAIMS);
    }
}
