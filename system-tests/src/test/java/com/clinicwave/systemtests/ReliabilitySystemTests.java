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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: with two instances of claims-service and provider-connection-service, a steady stream of GETs through
 * the gateway loses nothing while {@code bin/platform restart claims-service} replaces each instance (new one up and
 * registered, old one out of service, drained, SIGTERM) and while one provider-connection-service instance is
 * SIGKILLed (the gateway retries an idempotent request on the other instance until the registry forgets the dead
 * one). Counts are printed; the assertion is on the count of failed requests (0), never on a time.
 */
class ReliabilitySystemTests extends SuiteSystemTest {

    /** Long enough for the registry to evict the killed instance and every cache to drop it (about 30 s locally). */
    private static final Duration AFTER_KILL = Duration.ofSeconds(35);

    @Test
    void rollingRestartAndAKilledInstanceFailNoGet() throws Exception {
        RunningSuite.run(List.of("bin/platform", "up", "--no-build", "--replicas",
                "claims-service=2,provider-connection-service=2"), Duration.ofMinutes(6));
        assertThat(instancePids("claims-service")).hasSize(2);
        assertThat(instancePids("provider-connection-service")).hasSize(2);

        String bearer = "Bearer " + DemoUser.newSession();
        // A connection nobody has: claims-service answers it from its database (a stable 4xx problem, or an empty
        // page); either way the answer must stay what it was before the disruption.
        List<String> urls = List.of(GATEWAY + "/api/providers",
                GATEWAY + "/api/connections/" + UUID.randomUUID() + "/claims",
                GATEWAY + "/api/connections");
        Map<String, Integer> expected = new ConcurrentHashMap<>();
        for (String url : urls) {
            HttpResponse<String> baseline = get(url, "Authorization", bearer);
            assertThat(baseline.statusCode()).as(url + " " + baseline.body()).isLessThan(500);
            expected.put(url, baseline.statusCode());
        }

        try (Load load = new Load(urls, expected, bearer)) {
            long restartStarted = System.nanoTime();
            RunningSuite.run(List.of("bin/platform", "restart", "claims-service"), Duration.ofMinutes(6));
            System.out.printf("rolling restart of claims-service (2 instances): %d s, %d GETs, %d failed%n",
                    Duration.ofNanos(System.nanoTime() - restartStarted).toSeconds(), load.sent.get(),
                    load.failed.get());
            assertThat(instancePids("claims-service")).hasSize(2);

            long victim = instancePids("provider-connection-service").getFirst();
            long sentBefore = load.sent.get();
            ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
            Thread.sleep(AFTER_KILL.toMillis());
            System.out.printf("provider-connection-service instance (pid %d) SIGKILLed: %d GETs in the %d s after, "
                    + "%d failed in total%n", victim, load.sent.get() - sentBefore, AFTER_KILL.toSeconds(),
                    load.failed.get());

            // SIGTERM: the instance leaves Eureka before it stops taking requests (platform-starter's
            // DeregisterBeforeDrain), serves while the gateway's caches drop it, then drains.
            Map.Entry<Long, Integer> terminated = instancePorts("claims-service").entrySet().iterator().next();
            String eurekaEntry = "http://localhost:8761/eureka/apps/CLAIMS-SERVICE/claims-service:localhost:"
                    + terminated.getValue();
            assertThat(get(eurekaEntry, "Accept", "application/json").statusCode()).isEqualTo(200);
            ProcessHandle process = ProcessHandle.of(terminated.getKey()).orElseThrow();
            long sentBeforeTerm = load.sent.get();
            long termAt = System.nanoTime();
            process.destroy(); // SIGTERM
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
                    get(eurekaEntry, "Accept", "application/json").statusCode() == 404);
            long deregisteredMs = (System.nanoTime() - termAt) / 1_000_000;
            boolean aliveWhenDeregistered = process.isAlive();
            process.onExit().get(40, java.util.concurrent.TimeUnit.SECONDS);
            long exitedMs = (System.nanoTime() - termAt) / 1_000_000;
            System.out.printf("claims-service instance :%d SIGTERMed: out of Eureka after %d ms (process alive then: "
                    + "%s), exited after %d ms; %d GETs meanwhile, %d failed in total%n", terminated.getValue(),
                    deregisteredMs, aliveWhenDeregistered, exitedMs, load.sent.get() - sentBeforeTerm,
                    load.failed.get());
            assertThat(aliveWhenDeregistered).as("deregistered before the process ended").isTrue();
        } finally {
            Load.report();
            // Back to one instance each, on the usual ports (other whole-suite tests call services directly).
            RunningSuite.run(List.of("bin/platform", "up", "--no-build", "--replicas",
                    "claims-service=1,provider-connection-service=1"), Duration.ofMinutes(6));
        }
        assertThat(Load.failures).as("failed GETs while restarting and after a SIGKILL").isEmpty();
        assertThat(Load.total.get()).as("GETs sent").isGreaterThan(100);
        assertThat(Files.exists(runDir().resolve("pids/claims-service.pid"))).isTrue();
        assertThat(instancePids("claims-service")).hasSize(1);
        assertThat(instancePids("provider-connection-service")).hasSize(1);
    }

    /** The pids of a service's running instances, from bin/platform's pid files. */
    static List<Long> instancePids(String service) throws IOException {
        Path pids = runDir().resolve("pids");
        List<Long> result = new ArrayList<>();
        try (Stream<Path> files = Files.list(pids)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".pid") && (name.equals(service + ".pid") || name.startsWith(service + "@"))) {
                    long pid = Long.parseLong(Files.readString(file).trim());
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        result.add(pid);
                    }
                }
            }
        }
        return result;
    }

    /** A service's running instances: pid → port (from bin/platform's .ports files). */
    static Map<Long, Integer> instancePorts(String service) throws IOException {
        Map<Long, Integer> ports = new java.util.LinkedHashMap<>();
        for (long pid : instancePids(service)) {
            try (Stream<Path> files = Files.list(runDir().resolve("pids"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                    String name = file.getFileName().toString();
                    if ((name.equals(service + ".pid") || name.startsWith(service + "@"))
                            && Long.parseLong(Files.readString(file).trim()) == pid) {
                        Path portsFile = file.resolveSibling(name.replaceFirst("\\.pid$", ".ports"));
                        ports.put(pid, Integer.parseInt(Files.readString(portsFile).trim().split(" ")[0]));
                    }
                }
            }
        }
        return ports;
    }

    /** One client thread sending GETs one after another (about ten a second), counting the answers. */
    static final class Load implements AutoCloseable {
        static final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        static final AtomicLong total = new AtomicLong();

        final AtomicLong sent = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Load(List<String> urls, Map<String, Integer> expected, String bearer) {
            thread = Thread.ofPlatform().name("reliability-load").start(() -> {
                int i = 0;
                while (running.get()) {
                    String url = urls.get(i++ % urls.size());
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                            .header("Authorization", bearer).GET().build();
                    try {
                        HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() != expected.get(url)) {
                            fail(url + " -> " + answer.statusCode() + " " + answer.body());
                        }
                    } catch (IOException e) {
                        fail(url + " -> " + e);
                    } catch (InterruptedException e) {
                        return;
                    }
                    sent.incrementAndGet();
                    total.incrementAndGet();
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        private void fail(String what) {
            failed.incrementAndGet();
            failures.add(what);
        }

        static void report() {
            System.out.printf("reliability load: %d GETs, %d failed%s%n", total.get(), failures.size(),
                    failures.isEmpty() ? "" : ": " + failures.subList(0, Math.min(10, failures.size())));
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(Duration.ofSeconds(30));
        }
    }
}
