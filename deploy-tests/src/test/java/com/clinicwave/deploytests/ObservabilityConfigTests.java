package com.clinicwave.deploytests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Prometheus, Grafana, Logstash and Kibana configuration: valid, consistent, and naming only real metrics. */
@SuppressWarnings("unchecked")
class ObservabilityConfigTests {

    private static final String RULES_DIR = "deploy/prometheus/rules";
    private static final String DASHBOARDS_DIR = "deploy/grafana/dashboards";

    @Test
    void knownMetricsListHasNoDuplicatesAndValidNames() throws Exception {
        List<String> names = knownMetricLines();
        assertThat(names).doesNotHaveDuplicates().isNotEmpty();
        assertThat(names).allMatch(n -> n.matches("[a-zA-Z_:][a-zA-Z0-9_:]*"), "valid Prometheus metric names");
    }

    @Test
    void everyMetricADashboardOrAlertNamesIsExported() throws Exception {
        Set<String> known = new HashSet<>(knownMetricLines());
        Map<String, Set<String>> unknown = new TreeMap<>();
        usedMetrics().forEach((metric, users) -> {
            if (!known.contains(metric)) {
                unknown.put(metric, users);
            }
        });
        assertThat(unknown).as("metrics named by dashboards or alert rules but absent from "
                + "deploy/metrics/known-metrics.txt (the names the services export)").isEmpty();
    }

    @Test
    void promQlMetricExtractionFindsMetricsNotFunctionsOrLabels() {
        assertThat(PromQl.metricNames("sum by (job, le) (rate(http_server_requests_seconds_bucket{job=~\"$job\", "
                + "status=~\"5..\"}[$__rate_interval])) / on(job) group_left up offset 1h > 0.5"))
                .containsExactlyInAnyOrder("http_server_requests_seconds_bucket", "up");
        assertThat(PromQl.metricNames("topk(10, histogram_quantile(0.95, sum by (uri, le) (rate(x_bucket[5m]))))"))
                .containsExactly("x_bucket");
        assertThat(PromQl.metricNames("label_values(jvm_memory_used_bytes, job)"))
                .containsExactly("jvm_memory_used_bytes");
        assertThat(PromQl.metricNames("max by (job, name) (resilience4j_circuitbreaker_state{state=~\"open\"}) == 1"))
                .containsExactly("resilience4j_circuitbreaker_state");
    }

    @Test
    void dashboardsAreValidJsonWithUniqueUidsAndExistingDatasources() {
        Set<String> datasourceUids = datasourceUids();
        assertThat(datasourceUids).contains("prometheus", "elasticsearch", "zipkin");
        Set<String> uids = new HashSet<>();
        List<Path> dashboards = Repo.files(DASHBOARDS_DIR, ".json");
        assertThat(dashboards).hasSizeGreaterThanOrEqualTo(6);
        for (Path file : dashboards) {
            JsonNode dashboard = Repo.json(file);
            String uid = dashboard.path("uid").asString();
            assertThat(uid).as(file.toString()).isNotBlank();
            assertThat(uids.add(uid)).as("unique uid " + uid).isTrue();
            assertThat(dashboard.path("title").asString()).isNotBlank();
            for (JsonNode panel : dashboard.path("panels")) {
                if ("row".equals(panel.path("type").asString())) {
                    continue;
                }
                assertThat(panel.path("targets").isEmpty()).as(file + " panel " + panel.path("title")).isFalse();
                assertThat(datasourceUids).as(file + " panel " + panel.path("title"))
                        .contains(panel.path("datasource").path("uid").asString());
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("expr").asString()).as(panel.path("title").asString()).isNotBlank();
                    assertThat(datasourceUids).contains(target.path("datasource").path("uid").asString());
                }
            }
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                assertThat(datasourceUids).contains(variable.path("datasource").path("uid").asString());
            }
        }
    }

    @Test
    void dashboardsCoverTheSignalsOperatorsWatch() {
        Set<String> used = usedMetrics().keySet();
        assertThat(used).contains("http_server_requests_seconds_count", "http_server_requests_seconds_bucket",
                "jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum", "gateway_requests_seconds_count",
                "gateway_token_cache_total", "resilience4j_circuitbreaker_state",
                "kafka_consumer_fetch_manager_records_lag_max", "auth_logins_total", "auth_lockouts_total",
                "connections_status", "claims_sync_duration_seconds_bucket");
    }

    /** Issue 18: latency is shown as p50/p95/p99 from histogram buckets; a mean (_sum / _count) hides the tail. */
    @Test
    void latencyPanelsUseHistogramQuantilesNotMeans() {
        Set<String> quantiles = new TreeSet<>();
        for (Path file : Repo.files(DASHBOARDS_DIR, ".json")) {
            for (JsonNode panel : Repo.json(file).path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    String expr = target.path("expr").asString();
                    assertThat(expr).as(file.getFileName() + ": " + panel.path("title").asString())
                            .doesNotContainPattern("(?s)_seconds_sum.*/.*_seconds_count");
                    if (expr.contains("histogram_quantile(") && expr.contains("_seconds_bucket")) {
                        quantiles.add(expr.replaceAll("^.*histogram_quantile\\((0\\.\\d+).*?(\\w+_seconds)_bucket.*$",
                                "$2 $1"));
                    }
                }
            }
        }
        for (String timer : List.of("http_server_requests_seconds", "gateway_requests_seconds")) {
            assertThat(quantiles).as("p50, p95 and p99 panels of " + timer).contains(timer + " 0.5",
                    timer + " 0.95", timer + " 0.99");
        }
    }

    @Test
    void grafanaProvisioningPointsAtTheMountedDashboards() {
        Map<String, Object> providers = Repo.yamlMap("deploy/grafana/provisioning/dashboards/dashboards.yml");
        Map<String, Object> provider = ((List<Map<String, Object>>) providers.get("providers")).getFirst();
        String path = Repo.get(provider, "options", "path");
        List<Object> grafanaVolumes = Repo.get(Repo.yamlMap("docker-compose.yml"), "services", "grafana", "volumes");
        assertThat(grafanaVolumes).contains("./" + DASHBOARDS_DIR + ":" + path + ":ro");
    }

    @Test
    void prometheusScrapesEveryServiceAsAJobNamedAfterIt() {
        Map<String, Object> config = Repo.yamlMap("deploy/prometheus/prometheus.yml");
        Map<String, String> targets = new LinkedHashMap<>();
        for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
            List<Map<String, Object>> statics = (List<Map<String, Object>>) job.get("static_configs");
            targets.put((String) job.get("job_name"), ((List<String>) statics.getFirst().get("targets")).getFirst());
            if (!"prometheus".equals(job.get("job_name"))) {
                assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
            }
        }
        for (String module : Repo.serviceModules()) {
            assertThat(targets).as("scrape job " + module)
                    .containsEntry(module, module + ":" + ComposeFileTests.ACTUATOR_PORTS.get(module));
        }
        assertThat((List<String>) config.get("rule_files")).contains("rules/*.yml");
    }

    @Test
    void alertRulesCoverTheFailuresTheIssueNames() {
        Map<String, String> alerts = new TreeMap<>();
        for (Path file : Repo.files(RULES_DIR, ".yml")) {
            Map<String, Object> rules = Repo.yamlDocuments(file).getFirst();
            for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    assertThat(Repo.<String>get(rule, "labels", "severity")).as((String) rule.get("alert")).isNotBlank();
                    assertThat(Repo.<String>get(rule, "annotations", "summary")).isNotBlank();
                    alerts.put((String) rule.get("alert"), String.valueOf(rule.get("expr")));
                }
            }
        }
        assertThat(alerts.values()).anyMatch(e -> e.contains("http_server_requests_seconds_count{status=~\"5..\"}"))
                .anyMatch(e -> e.contains("resilience4j_circuitbreaker_state"))
                .anyMatch(e -> e.contains("auth_logins_total"))
                .anyMatch(e -> e.contains("connections_refresh_total"))
                .anyMatch(e -> e.contains("kafka_consumer_fetch_manager_records_lag_max"));
    }

    @Test
    void promtoolAcceptsTheConfigAndTheRules() {
        Tools.assumeInstalled("promtool", "apt-get install -y prometheus");
        Path dir = Repo.path("deploy/prometheus");
        Tools.Result config = Tools.run(dir, 60, "promtool", "check", "config", "prometheus.yml");
        assertThat(config.exitCode()).as(config.output()).isZero();
        List<String> command = new ArrayList<>(List.of("promtool", "check", "rules"));
        Repo.files(RULES_DIR, ".yml").forEach(p -> command.add(p.toString()));
        Tools.Result rules = Tools.run(dir, 60, command.toArray(String[]::new));
        assertThat(rules.exitCode()).as(rules.output()).isZero();
        Path unitTests = Repo.path("deploy/prometheus/tests");
        if (Files.isDirectory(unitTests)) {
            List<String> test = new ArrayList<>(List.of("promtool", "test", "rules"));
            Repo.files("deploy/prometheus/tests", ".yml").forEach(p -> test.add(p.toString()));
            Tools.Result result = Tools.run(dir, 60, test.toArray(String[]::new));
            assertThat(result.exitCode()).as(result.output()).isZero();
        }
    }

    @Test
    void logstashMapsEveryLogFieldToItsEcsName() {
        String pipeline = Repo.read("deploy/logstash/pipeline/clinicwave.conf");
        Map<String, String> ecs = Map.of("level", "[log][level]", "logger_name", "[log][logger]",
                "thread_name", "[process][thread][name]", "traceId", "[trace][id]", "spanId", "[span][id]",
                "service", "[service][name]", "stack_trace", "[error][stack_trace]");
        ecs.forEach((field, target) -> assertThat(pipeline).contains("\"" + field + "\"").contains(target));
        assertThat(pipeline).contains("gelf").contains("json").contains("clinicwave-logs-");
        JsonNode template = Repo.json(Repo.path("deploy/logstash/templates/clinicwave-logs-template.json"));
        assertThat(template.path("index_patterns").get(0).asString()).isEqualTo("clinicwave-logs-*");
        assertThat(template.at("/template/mappings/properties/trace/properties/id/type").asString())
                .isEqualTo("keyword");
        // Only pipeline files in the pipeline directory: Logstash loads every file there as configuration.
        assertThat(Repo.files("deploy/logstash/pipeline", "")).allMatch(p -> p.toString().endsWith(".conf"));
    }

    @Test
    void kibanaSavedObjectsFindLogsByTraceByServiceAndErrors() throws Exception {
        List<String> lines = Files.readAllLines(Repo.path("deploy/kibana/saved-objects.ndjson"));
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (String line : lines) {
            JsonNode object = Repo.JSON.readTree(line);
            byId.put(object.path("id").asString(), object);
        }
        JsonNode dataView = byId.get("clinicwave-logs");
        assertThat(dataView.path("type").asString()).isEqualTo("index-pattern");
        assertThat(dataView.at("/attributes/title").asString()).isEqualTo("clinicwave-logs-*");
        Set<String> queries = new TreeSet<>();
        byId.values().stream().filter(o -> "search".equals(o.path("type").asString())).forEach(search -> {
            for (JsonNode reference : search.path("references")) {
                assertThat(byId).containsKey(reference.path("id").asString());
            }
            JsonNode source = Repo.JSON.readTree(search.at("/attributes/kibanaSavedObjectMeta/searchSourceJSON")
                    .asString());
            queries.add(source.at("/query/query").asString());
        });
        assertThat(queries).anyMatch(q -> q.startsWith("trace.id"))
                .anyMatch(q -> q.equals("log.level : \"error\""))
                .anyMatch(q -> q.equals("service.name : \"gateway\""));
    }

    /** metric name → the dashboards and alert rules that use it. */
    static Map<String, Set<String>> usedMetrics() {
        Map<String, Set<String>> used = new TreeMap<>();
        for (Path file : Repo.files(DASHBOARDS_DIR, ".json")) {
            JsonNode dashboard = Repo.json(file);
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    PromQl.metricNames(target.path("expr").asString()).forEach(m -> used
                            .computeIfAbsent(m, k -> new TreeSet<>()).add(file.getFileName() + ": "
                                    + panel.path("title").asString()));
                }
            }
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                PromQl.metricNames(variable.path("definition").asString()).forEach(m -> used
                        .computeIfAbsent(m, k -> new TreeSet<>()).add(file.getFileName() + ": $" +
                                variable.path("name").asString()));
            }
        }
        for (Path file : Repo.files(RULES_DIR, ".yml")) {
            for (Map<String, Object> group : (List<Map<String, Object>>) Repo.yamlDocuments(file).getFirst()
                    .get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    String name = String.valueOf(rule.getOrDefault("alert", rule.get("record")));
                    PromQl.metricNames(String.valueOf(rule.get("expr"))).forEach(m -> used
                            .computeIfAbsent(m, k -> new TreeSet<>()).add(file.getFileName() + ": " + name));
                }
            }
        }
        return used;
    }

    private static List<String> knownMetricLines() throws Exception {
        return Files.readAllLines(Repo.path("deploy/metrics/known-metrics.txt")).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static Set<String> datasourceUids() {
        Map<String, Object> provisioning = Repo.yamlMap("deploy/grafana/provisioning/datasources/datasources.yml");
        Set<String> uids = new HashSet<>();
        for (Map<String, Object> ds : (List<Map<String, Object>>) provisioning.get("datasources")) {
            uids.add((String) ds.get("uid"));
        }
        return uids;
    }
}
