package com.clinicwave.deploytests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker-compose.yml: every service there, healthy before its dependents start, private unless it is an entry point. */
@SuppressWarnings("unchecked")
class ComposeFileTests {

    private static final Map<String, Object> COMPOSE = Repo.yamlMap("docker-compose.yml");
    private static final Map<String, Map<String, Object>> SERVICES = Repo.get(COMPOSE, "services");

    private static final List<String> INFRASTRUCTURE = List.of("postgres", "redis", "kafka");
    private static final List<String> OBSERVABILITY = List.of("zipkin", "prometheus", "grafana", "elasticsearch",
            "logstash", "kibana");

    /** What may be published on the host, and why: the gateway and the operators' UIs, nothing else. */
    private static final Map<String, Set<String>> PUBLISHED = Map.of(
            "gateway", Set.of("8080:8080"),
            "grafana", Set.of("3000:3000"),
            "kibana", Set.of("5601:5601"),
            "zipkin", Set.of("9411:9411"),
            "prometheus", Set.of("9090:9090"),
            // The stand-in for the outside world: browsers must reach the providers' login pages.
            "provider-sandbox", Set.of("9400:9400"),
            // Loopback only: the Docker daemon on the host ships container logs to it.
            "logstash", Set.of("127.0.0.1:12201:12201/udp"),
            // The patient web app's static files (nginx); it holds no data and calls only the gateway.
            "companion-web", Set.of("5173:8080"));

    /** The actuator port of each service (the gateway's is separate from its public port). */
    static final Map<String, Integer> ACTUATOR_PORTS = Map.of("registry", 8761, "config-server", 8888,
            "gateway", 8090, "auth-service", 9000, "provider-connection-service", 8081, "athena-service", 8082,
            "claims-service", 8083, "provider-sandbox", 9400);

    @Test
    void everyServiceModuleRunsFromItsOwnImage() {
        for (String module : Repo.serviceModules()) {
            assertThat(SERVICES).as("compose service for module %s", module).containsKey(module);
            assertThat((String) SERVICES.get(module).get("image")).as(module)
                    .startsWith("${CLINICWAVE_IMAGES:-clinicwave/}" + module + ":");
        }
    }

    @Test
    void infrastructureAndObservabilityAreAllThere() {
        assertThat(SERVICES).containsKeys(INFRASTRUCTURE.toArray(String[]::new));
        assertThat(SERVICES).containsKeys(OBSERVABILITY.toArray(String[]::new));
        assertThat((String) SERVICES.get("kafka").get("image")).startsWith("apache/kafka:");
        assertThat(env("kafka")).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller");
    }

    @Test
    void everyLongRunningServiceHasAHealthcheck() {
        SERVICES.forEach((name, service) -> {
            if (isOneShot(service)) {
                assertThat(service.get("restart")).as(name + " is one-shot").isEqualTo("no");
                return;
            }
            List<Object> test = Repo.get(service, "healthcheck", "test");
            assertThat(test).as(name + " healthcheck").isNotNull().isNotEmpty();
            assertThat(test.getFirst()).as(name).isIn("CMD", "CMD-SHELL");
        });
    }

    @Test
    void dependentsStartOnlyWhenTheirDependenciesAreHealthy() {
        SERVICES.forEach((name, service) -> {
            Object dependsOn = service.get("depends_on");
            if (dependsOn == null) {
                return;
            }
            assertThat(dependsOn).as(name + ": depends_on must name a condition").isInstanceOf(Map.class);
            ((Map<String, Map<String, Object>>) dependsOn).forEach((dependency, spec) -> {
                assertThat(SERVICES).as(name + " depends on " + dependency).containsKey(dependency);
                assertThat(spec.get("condition")).as(name + " -> " + dependency).isEqualTo("service_healthy");
                assertThat(Repo.<Object>get(SERVICES.get(dependency), "healthcheck"))
                        .as(dependency + " has the healthcheck " + name + " waits for").isNotNull();
            });
        });
    }

    @Test
    void platformServicesWaitForConfigServerAndTheirInfrastructure() {
        for (String module : Repo.serviceModules()) {
            if (List.of("registry", "config-server", "provider-sandbox").contains(module)) {
                continue;
            }
            assertThat(dependencies(module)).as(module).contains("config-server", "kafka");
        }
        assertThat(dependencies("config-server")).contains("registry");
        for (String db : List.of("auth-service", "provider-connection-service", "claims-service")) {
            assertThat(dependencies(db)).as(db).contains("postgres");
            assertThat(env(db)).as(db).containsKeys("DB_USERNAME", "DB_PASSWORD");
        }
    }

    @Test
    void onlyTheGatewayAndTheOperatorUisArePublished() {
        SERVICES.forEach((name, service) -> {
            List<Object> ports = (List<Object>) service.getOrDefault("ports", List.of());
            Set<String> published = new HashSet<>();
            ports.forEach(port -> published.add(String.valueOf(port)));
            if (published.isEmpty()) {
                return;
            }
            assertThat(PUBLISHED).as(name + " publishes " + published + " but is not an entry point")
                    .containsKey(name);
            assertThat(published).as(name).isSubsetOf(PUBLISHED.get(name));
        });
        assertThat(SERVICES.get("gateway").get("ports")).asString().contains("8080:8080");
        assertThat(SERVICES.get("postgres")).doesNotContainKey("ports");
        assertThat(SERVICES.get("registry")).doesNotContainKey("ports");
    }

    @Test
    void everyServiceHasAMemoryLimit() {
        SERVICES.forEach((name, service) -> {
            Object limit = service.get("mem_limit");
            if (limit == null) {
                limit = Repo.get(service, "deploy", "resources", "limits", "memory");
            }
            assertThat(limit).as(name + " memory limit").isNotNull();
            assertThat(String.valueOf(limit)).as(name).matches("\\d+[kmg]");
        });
    }

    @Test
    void profilesStartInfrastructureOrObservabilityAloneAndEverythingTogether() {
        INFRASTRUCTURE.forEach(s -> assertThat(profiles(s)).as(s).contains("infra", "all"));
        OBSERVABILITY.forEach(s -> assertThat(profiles(s)).as(s).contains("observability", "all"));
        Repo.serviceModules().forEach(s -> assertThat(profiles(s)).as(s).contains("all"));
        // A profile is self-contained: whatever a service of the profile waits for starts with it.
        SERVICES.forEach((name, service) -> {
            for (String profile : profiles(name)) {
                for (String dependency : dependencies(name)) {
                    assertThat(profiles(dependency)).as(name + " in profile " + profile + " needs " + dependency)
                            .contains(profile);
                }
            }
        });
    }

    @Test
    void javaServicesProbeTheirActuatorPort() {
        ACTUATOR_PORTS.forEach((service, port) -> {
            assertThat(env(service).get("HEALTH_PORT")).as(service).isEqualTo(String.valueOf(port));
            assertThat(Repo.<List<Object>>get(SERVICES.get(service), "healthcheck", "test"))
                    .as(service).contains("/usr/local/bin/healthcheck");
        });
    }

    /** Issue 13 item 6: Redis holds security state (deny-list, lockouts, OAuth state) and never evicts it. */
    @Test
    void redisNeverEvictsSecurityState() {
        List<Object> command = (List<Object>) SERVICES.get("redis").get("command");
        int policy = command.indexOf("--maxmemory-policy");
        assertThat(policy).as("redis command sets --maxmemory-policy").isNotNegative();
        assertThat(command.get(policy + 1)).isEqualTo("noeviction");
    }

    @Test
    void servicesReachTheInfrastructureByComposeName() {
        Map<String, String> gateway = env("gateway");
        assertThat(gateway).containsEntry("CONFIG_SERVER_URL", "http://config-server:8888")
                .containsEntry("EUREKA_URL", "http://registry:8761/eureka/")
                .containsEntry("REDIS_HOST", "redis")
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
                .containsEntry("ZIPKIN_URL", "http://zipkin:9411/api/v2/spans");
        assertThat(env("config-server")).containsEntry("CONFIG_REPO_LOCATION", "file:/config-repo/");
    }

    @Test
    void everyMountedFileIsInTheRepository() {
        SERVICES.forEach((name, service) -> {
            for (Object volume : (List<Object>) service.getOrDefault("volumes", List.of())) {
                String source = String.valueOf(volume).split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(Files.exists(Repo.path(source))).as(name + " mounts " + source).isTrue();
                }
            }
        });
    }

    @Test
    void everyRequiredVariableHasADevelopmentValue() throws Exception {
        Set<String> defined = new HashSet<>();
        for (String line : Files.readAllLines(Repo.path(".env"))) {
            if (line.contains("=") && !line.startsWith("#")) {
                defined.add(line.substring(0, line.indexOf('=')).trim());
            }
        }
        Matcher required = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?").matcher(Repo.read("docker-compose.yml"));
        List<String> missing = new ArrayList<>();
        while (required.find()) {
            if (!defined.contains(required.group(1))) {
                missing.add(required.group(1));
            }
        }
        assertThat(missing).as("variables docker-compose.yml requires but .env lacks").isEmpty();
    }

    @Test
    void postgresInitScriptCreatesOneDatabasePerService() {
        String script = Repo.read("deploy/postgres/init/01-create-databases.sh");
        for (String db : List.of("auth", "connections", "claims")) {
            assertThat(script).contains("create_database " + db + " ");
            assertThat(Repo.read("deploy/config-repo/" + databaseOwner(db) + ".yml")).contains("/" + db + "}");
        }
        assertThat(Files.isExecutable(Repo.path("deploy/postgres/init/01-create-databases.sh"))).isTrue();
    }

    @Test
    void dockerComposeValidatesTheFile() {
        Tools.assumeInstalled("docker-compose", "apt-get install -y docker-compose");
        // With no options, as a user runs it: .env supplies the variables and COMPOSE_PROFILES=all.
        Tools.Result result = Tools.run(Repo.ROOT, 60, "docker-compose", "config", "-q");
        assertThat(result.exitCode()).as(result.output()).isZero();
        Tools.Result services = Tools.run(Repo.ROOT, 60, "docker-compose", "config", "--services");
        assertThat(services.output().lines().toList()).containsAll(SERVICES.keySet());
    }

    private static String databaseOwner(String db) {
        return switch (db) {
            case "auth" -> "auth-service";
            case "connections" -> "provider-connection-service";
            default -> "claims-service";
        };
    }

    private static boolean isOneShot(Map<String, Object> service) {
        return "true".equals(String.valueOf(Repo.<Object>get(service, "labels", "com.clinicwave.one-shot")));
    }

    private static List<String> profiles(String service) {
        return (List<String>) SERVICES.get(service).getOrDefault("profiles", List.of());
    }

    private static Set<String> dependencies(String service) {
        Object dependsOn = SERVICES.get(service).get("depends_on");
        return dependsOn instanceof Map<?, ?> map ? (Set<String>) map.keySet() : Set.of();
    }

    private static Map<String, String> env(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, Object> raw = Repo.get(SERVICES.get(service), "environment");
        if (raw != null) {
            raw.forEach((k, v) -> env.put(k, String.valueOf(v)));
        }
        return env;
    }
}
