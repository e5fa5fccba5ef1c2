package com.clinicwave.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What operators rely on, checked against the running suite: one request's trace reaches a real Zipkin from the
 * gateway and the service behind it, and every metric the Grafana dashboards and Prometheus alerts name
 * (deploy/grafana/dashboards, deploy/prometheus/rules) is really exported on some service's /actuator/prometheus
 * (or listed as pending in deploy/metrics/known-metrics.txt: promised by a service, reported but not failed).
 */
class ObservabilitySystemTests extends SuiteSystemTest {

    private static final String ZIPKIN = System.getenv().getOrDefault("CLINICWAVE_ZIPKIN_URL", "http://localhost:9411");
    /** Actuator ports of the local run (docs/contracts.md; the gateway's actuator is on 8090). */
    private static final Map<String, Integer> ACTUATOR_PORTS = Map.of("registry", 8761, "config-server", 8888,
            "gateway", 8090, "auth-service", 9000, "provider-connection-service", 8081, "athena-service", 8082,
            "claims-service", 8083, "provider-sandbox", 9400);

    private static boolean startedZipkin;

    @BeforeAll
    static void zipkinIsRunning() {
        if (!zipkinAnswers()) {
            // A real Zipkin server (io.zipkin:zipkin-server exec jar) on :9411, where the services send spans.
            RunningSuite.run(List.of("deploy/zipkin/run-local.sh", "start"), Duration.ofMinutes(3));
            startedZipkin = true;
        }
    }

    @AfterAll
    static void stopZipkinIfStartedHere() {
        if (startedZipkin) {
            RunningSuite.run(List.of("deploy/zipkin/run-local.sh", "stop"), Duration.ofMinutes(1));
        }
    }

    @Test
    void zipkinReceivesOneTraceSpanningTheGatewayAndTheServiceBehindIt() {
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String parentSpan = HexFormat.of().formatHex(randomBytes(8));
        HttpResponse<String> response = get(GATEWAY + "/.well-known/openid-configuration",
                "Accept", "application/json", "traceparent", "00-" + traceId + "-" + parentSpan + "-01");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            HttpResponse<String> trace = get(ZIPKIN + "/api/v2/trace/" + traceId);
            assertThat(trace.statusCode()).as("trace " + traceId + " in Zipkin").isEqualTo(200);
            Set<String> services = new TreeSet<>();
            for (JsonNode span : json(trace)) {
                services.add(span.path("localEndpoint").path("serviceName").asString());
            }
            assertThat(services).contains("gateway", "auth-service");
        });
        System.out.println("Zipkin trace: " + ZIPKIN + "/zipkin/traces/" + traceId);
    }

    @Test
    void everyMetricTheDashboardsAndAlertsNameIsExported() throws IOException {
        exerciseTheMetersThatAppearOnFirstUse();
        Set<String> exported = new HashSet<>(Set.of("up"));
        Map<String, String> unreachable = new TreeMap<>();
        ACTUATOR_PORTS.forEach((service, port) -> {
            HttpResponse<String> scrape = get("http://localhost:" + port + "/actuator/prometheus");
            if (scrape.statusCode() != 200) {
                unreachable.put(service, "HTTP " + scrape.statusCode());
                return;
            }
            scrape.body().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.split("[{ ]", 2)[0]).forEach(exported::add);
        });
        assertThat(unreachable).as("services whose /actuator/prometheus did not answer").isEmpty();

        Set<String> pending = pendingMetrics();
        Map<String, Set<String>> missing = new TreeMap<>();
        Map<String, Set<String>> stillPending = new TreeMap<>();
        usedMetrics().forEach((metric, users) -> {
            if (!exported.contains(metric)) {
                (pending.contains(metric) ? stillPending : missing).put(metric, users);
            }
        });
        if (!stillPending.isEmpty()) {
            // Promised by a service, not exported yet: known-metrics.txt lists them as pending; say so loudly.
            System.out.println("PENDING metrics (named by dashboards/alerts, not exported yet): " + stillPending);
        }
        assertThat(missing).as("metrics that dashboards or alerts name but no service exports, and that "
                + "deploy/metrics/known-metrics.txt does not list as pending").isEmpty();
    }

    /** The names after the "# --- pending" line of deploy/metrics/known-metrics.txt. */
    private static Set<String> pendingMetrics() throws IOException {
        Set<String> pending = new HashSet<>();
        boolean inPending = false;
        for (String line : Files.readAllLines(RunningSuite.ROOT.resolve("deploy/metrics/known-metrics.txt"))) {
            String trimmed = line.trim();
            if (trimmed.startsWith("# --- pending")) {
                inPending = true;
            } else if (inPending && !trimmed.isEmpty() && !trimmed.startsWith("#")) {
                pending.add(trimmed);
            }
        }
        return pending;
    }

    /** A failed and a successful login, and a routed request: counters that exist only once something happened. */
    private static void exerciseTheMetersThatAppearOnFirstUse() {
        postJson(GATEWAY + "/api/v1/auth/login", Map.of("username", DemoUser.USERNAME, "password", "wrong-password",
                "tenant", DemoUser.TENANT));
        String token = DemoUser.accessToken();
        get(GATEWAY + "/api/connections", "Authorization", "Bearer " + token, "Accept", "application/json");
    }

    /** metric name → the dashboards and alert rules that name it. */
    private static Map<String, Set<String>> usedMetrics() throws IOException {
        Map<String, Set<String>> used = new TreeMap<>();
        Path root = RunningSuite.ROOT;
        try (var dashboards = Files.list(root.resolve("deploy/grafana/dashboards"))) {
            for (Path file : dashboards.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode dashboard = JSON.readTree(Files.readString(file));
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        metricNames(target.path("expr").asString()).forEach(m -> used
                                .computeIfAbsent(m, k -> new TreeSet<>()).add(file.getFileName() + ": "
                                        + panel.path("title").asString()));
                    }
                }
            }
        }
        try (var rules = Files.list(root.resolve("deploy/prometheus/rules"))) {
            for (Path file : rules.filter(f -> f.toString().endsWith(".yml")).toList()) {
                for (String expr : ruleExpressions(Files.readAllLines(file))) {
                    metricNames(expr).forEach(m -> used.computeIfAbsent(m, k -> new TreeSet<>())
                            .add(file.getFileName().toString()));
                }
            }
        }
        return used;
    }

    /** The `expr:` values of a rules file, single-line or block scalars (`expr: |`). */
    private static List<String> ruleExpressions(List<String> lines) {
        List<String> expressions = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int at = line.indexOf("expr:");
            if (at < 0) {
                continue;
            }
            String value = line.substring(at + 5).trim();
            if (!value.startsWith("|") && !value.startsWith(">")) {
                expressions.add(value);
                continue;
            }
            StringBuilder block = new StringBuilder();
            int indent = at;
            while (i + 1 < lines.size() && (lines.get(i + 1).isBlank()
                    || lines.get(i + 1).length() - lines.get(i + 1).stripLeading().length() > indent)) {
                block.append(lines.get(++i)).append('\n');
            }
            expressions.add(block.toString());
        }
        return expressions;
    }

    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "offset", "bool", "inf", "nan");

    /** The metric names a PromQL expression reads (the same rules as deploy-tests' PromQl). */
    static Set<String> metricNames(String expression) {
        String e = expression
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\$\\{?[a-zA-Z_]+}?", " ")
                .replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("(?i)\\boffset\\s+\\S+", " ")
                .replaceAll("\\b\\d+(\\.\\d+)?([eE][+-]?\\d+)?[smhdwy]?\\b", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(e);
        while (m.find()) {
            int next = m.end();
            while (next < e.length() && Character.isWhitespace(e.charAt(next))) {
                next++;
            }
            if (!(next < e.length() && e.charAt(next) == '(') && !KEYWORDS.contains(m.group().toLowerCase())) {
                names.add(m.group());
            }
        }
        return names;
    }

    private static boolean zipkinAnswers() {
        try {
            return get(ZIPKIN + "/health").statusCode() == 200;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
