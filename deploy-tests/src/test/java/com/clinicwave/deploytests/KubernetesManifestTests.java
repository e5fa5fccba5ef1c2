package com.clinicwave.deploytests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s: every service deployed redundantly, probed, bounded, and only the gateway — plus the patient web app's
 * static files (companion-web) — reachable from outside.
 */
@SuppressWarnings("unchecked")
class KubernetesManifestTests {

    private static final String DIR = "deploy/k8s";
    /** Never deployed to a cluster: it plays the outside world in local runs and tests. */
    private static final Set<String> NOT_DEPLOYED = Set.of("provider-sandbox");
    /** Infrastructure run as a single instance (a standalone Eureka); every other service runs 2+ replicas. */
    private static final Set<String> SINGLE_INSTANCE = Set.of("registry");
    /** Public entry points: the API gateway, and nginx serving the patient web app (no API, no data, no secrets). */
    private static final Set<String> PUBLIC = Set.of("gateway", "companion-web");
    /** Static files behind nginx: no actuator, probed at /healthz, starts in milliseconds (no startup probe). */
    private static final String STATIC_WEB = "companion-web";

    private static final List<Map<String, Object>> OBJECTS = loadAll();

    @Test
    void everyServiceHasADeploymentAndAService() {
        for (String module : Repo.serviceModules()) {
            if (NOT_DEPLOYED.contains(module)) {
                assertThat(find("Deployment", module)).as(module + " must not be deployed").isNull();
                continue;
            }
            assertThat(find("Deployment", module)).as("Deployment " + module).isNotNull();
            Map<String, Object> service = find("Service", module);
            assertThat(service).as("Service " + module).isNotNull();
            assertThat(Repo.<String>get(service, "spec", "type")).as(module).isIn(null, "ClusterIP");
        }
    }

    @Test
    void gatewayAndServicesRunAtLeastTwoReplicasWithDisruptionBudgetsAndAutoscaling() {
        for (Map<String, Object> deployment : ofKind("Deployment")) {
            String name = name(deployment);
            if (SINGLE_INSTANCE.contains(name)) {
                continue;
            }
            assertThat(Repo.<Integer>get(deployment, "spec", "replicas")).as(name + " replicas").isGreaterThanOrEqualTo(2);
            Map<String, Object> pdb = find("PodDisruptionBudget", name);
            assertThat(pdb).as("PodDisruptionBudget " + name).isNotNull();
            assertThat(Repo.<Map<String, Object>>get(pdb, "spec", "selector", "matchLabels"))
                    .isEqualTo(Repo.get(deployment, "spec", "selector", "matchLabels"));
            Map<String, Object> hpa = find("HorizontalPodAutoscaler", name);
            assertThat(hpa).as("HorizontalPodAutoscaler " + name).isNotNull();
            assertThat(Repo.<String>get(hpa, "spec", "scaleTargetRef", "name")).isEqualTo(name);
            assertThat(Repo.<Integer>get(hpa, "spec", "minReplicas")).as(name).isGreaterThanOrEqualTo(2);
            assertThat(Repo.<Integer>get(hpa, "spec", "maxReplicas"))
                    .isGreaterThan(Repo.<Integer>get(hpa, "spec", "minReplicas"));
        }
    }

    /**
     * Idle CPU of one pod: a JVM service answering probes, Eureka heartbeats and registry fetches, and Prometheus
     * scrapes uses about 5-20 millicores; nginx serving nothing, about 1-2.
     */
    private static final Map<String, Integer> IDLE_MILLICORES = Map.of("jvm", 20, STATIC_WEB, 2);

    /** An autoscaler at idle sits at most at half its target, so heartbeats and scrapes never scale anything out. */
    @Test
    void autoscalersStayWellBelowTheirTargetAtIdle() {
        List<Map<String, Object>> autoscalers = ofKind("HorizontalPodAutoscaler");
        assertThat(autoscalers).isNotEmpty();
        for (Map<String, Object> hpa : autoscalers) {
            String name = name(hpa);
            Map<String, Object> deployment = find("Deployment", Repo.get(hpa, "spec", "scaleTargetRef", "name"));
            assertThat(deployment).as(name + " scales a Deployment of the platform").isNotNull();
            List<Map<String, Object>> metrics = Repo.get(hpa, "spec", "metrics");
            assertThat(metrics).as(name).singleElement().satisfies(m -> {
                assertThat(Repo.<String>get(m, "resource", "name")).isEqualTo("cpu");
                assertThat(Repo.<String>get(m, "resource", "target", "type")).isEqualTo("Utilization");
            });
            int target = Repo.get(metrics.getFirst(), "resource", "target", "averageUtilization");
            int requested = 0;
            for (Map<String, Object> container : (List<Map<String, Object>>) Repo.get(deployment, "spec", "template",
                    "spec", "containers")) {
                requested += millicores(Repo.get(container, "resources", "requests", "cpu"));
            }
            int idle = IDLE_MILLICORES.getOrDefault(name, IDLE_MILLICORES.get("jvm"));
            double idleUtilisation = 100.0 * idle / requested;
            assertThat(idleUtilisation).as("%s: idle %dm of %dm requested against a target of %d%%", name, idle,
                    requested, target).isLessThanOrEqualTo(target / 2.0);
            assertThat(target).as(name + ": room above the target before the limit").isBetween(50, 80);
        }
    }

    @Test
    void cpuQuantitiesAreReadAsKubernetesDoes() {
        assertThat(millicores("250m")).isEqualTo(250);
        assertThat(millicores("1")).isEqualTo(1000);
        assertThat(millicores("0.5")).isEqualTo(500);
        assertThat(millicores(2)).isEqualTo(2000);
    }

    private static int millicores(Object quantity) {
        String q = String.valueOf(quantity);
        return q.endsWith("m") ? Integer.parseInt(q.substring(0, q.length() - 1))
                : (int) Math.round(Double.parseDouble(q) * 1000);
    }

    @Test
    void everyContainerIsProbedBoundedAndUnprivileged() {
        for (Map<String, Object> deployment : ofKind("Deployment")) {
            String name = name(deployment);
            Map<String, Object> pod = Repo.get(deployment, "spec", "template", "spec");
            assertThat(Repo.<Boolean>get(pod, "securityContext", "runAsNonRoot")).as(name).isTrue();
            assertThat(Repo.<Boolean>get(pod, "automountServiceAccountToken")).as(name).isFalse();
            assertThat(Repo.<Map<String, String>>get(deployment, "spec", "template", "metadata", "labels"))
                    .as(name).containsEntry("app.kubernetes.io/name", name)
                    .containsEntry("app.kubernetes.io/part-of", "clinicwave");
            for (Map<String, Object> container : (List<Map<String, Object>>) pod.get("containers")) {
                String where = name + "/" + container.get("name");
                assertThat((String) container.get("image")).as(where).startsWith("clinicwave/" + name + ":");
                Set<Object> portNames = new HashSet<>();
                ((List<Map<String, Object>>) container.get("ports")).forEach(p -> portNames.add(p.get("name")));
                boolean staticWeb = STATIC_WEB.equals(name);
                assertThat(Repo.<String>get(container, "livenessProbe", "httpGet", "path")).as(where)
                        .isEqualTo(staticWeb ? "/healthz" : "/actuator/health/liveness");
                assertThat(Repo.<String>get(container, "readinessProbe", "httpGet", "path")).as(where)
                        .isEqualTo(staticWeb ? "/healthz" : "/actuator/health/readiness");
                if (!staticWeb) {
                    assertThat(Repo.<Object>get(container, "startupProbe")).as(where).isNotNull();
                }
                for (String probe : staticWeb ? List.of("livenessProbe", "readinessProbe")
                        : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                    assertThat(portNames).as(where + " " + probe + " port")
                            .contains(Repo.<Object>get(container, probe, "httpGet", "port"));
                }
                assertThat(Repo.<Object>get(container, "resources", "requests", "cpu")).as(where).isNotNull();
                assertThat(Repo.<Object>get(container, "resources", "requests", "memory")).as(where).isNotNull();
                assertThat(Repo.<Object>get(container, "resources", "limits", "memory")).as(where).isNotNull();
                assertThat(Repo.<Boolean>get(container, "securityContext", "allowPrivilegeEscalation")).isFalse();
                assertThat(Repo.<Boolean>get(container, "securityContext", "readOnlyRootFilesystem")).isTrue();
            }
        }
    }

    @Test
    void gatewayActuatorStaysOffItsPublicPort() {
        Map<String, Object> gateway = find("Deployment", "gateway");
        Map<String, Object> container = ((List<Map<String, Object>>) Repo.get(gateway, "spec", "template", "spec",
                "containers")).getFirst();
        assertThat(Repo.<Object>get(container, "readinessProbe", "httpGet", "port")).isEqualTo("management");
        assertThat(Repo.<Map<String, String>>get(gateway, "spec", "template", "metadata", "annotations"))
                .containsEntry("prometheus.io/port", "8090");
    }

    @Test
    void onlyTheGatewayIsReachableFromOutside() {
        // Nothing is exposed by a Service of its own: no NodePort or LoadBalancer anywhere.
        for (Map<String, Object> service : ofKind("Service")) {
            assertThat(Repo.<String>get(service, "spec", "type")).as(name(service)).isIn(null, "ClusterIP");
        }
        // The Ingresses send traffic to the gateway and the web app's static files only.
        for (Map<String, Object> ingress : ofKind("Ingress")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) Repo.get(ingress, "spec", "rules")) {
                for (Map<String, Object> path : (List<Map<String, Object>>) Repo.get(rule, "http", "paths")) {
                    assertThat(Repo.<String>get(path, "backend", "service", "name")).isIn(PUBLIC);
                }
            }
        }
        List<Map<String, Object>> policies = ofKind("NetworkPolicy");
        assertThat(policies).as("a default-deny policy for every pod").anySatisfy(p -> {
            assertThat(Repo.<Map<String, Object>>get(p, "spec", "podSelector")).isEmpty();
            assertThat(Repo.<List<String>>get(p, "spec", "policyTypes")).contains("Ingress");
            assertThat(Repo.<Object>get(p, "spec", "ingress")).isNull();
        });
        // Any policy admitting traffic from another namespace either selects the gateway only, or admits only
        // the metrics scrapers (namespace "monitoring").
        for (Map<String, Object> policy : policies) {
            List<Map<String, Object>> rules = (List<Map<String, Object>>) Repo.<Object>get(policy, "spec", "ingress");
            if (rules == null) {
                continue;
            }
            for (Map<String, Object> rule : rules) {
                for (Map<String, Object> from : (List<Map<String, Object>>) rule.getOrDefault("from", List.of())) {
                    assertThat(from).as(name(policy) + ": no ipBlock, everything comes through the ingress")
                            .doesNotContainKey("ipBlock");
                    Map<String, String> namespace = Repo.get(from, "namespaceSelector", "matchLabels");
                    if (from.containsKey("namespaceSelector")) {
                        String ns = namespace == null ? "*" : namespace.get("kubernetes.io/metadata.name");
                        if ("monitoring".equals(ns)) {
                            continue;
                        }
                        Map<String, String> selected = Repo.get(policy, "spec", "podSelector", "matchLabels");
                        assertThat(selected).as(name(policy) + " admits namespace " + ns).hasSize(1);
                        assertThat(selected.get("app.kubernetes.io/name")).as(name(policy) + " admits namespace " + ns)
                                .isIn(PUBLIC);
                    }
                }
            }
        }
    }

    @Test
    void secretsAndConfigReferencedByPodsExist() {
        Map<String, Object> secret = find("Secret", "clinicwave-secrets");
        Map<String, Object> config = find("ConfigMap", "clinicwave-config");
        assertThat(secret).isNotNull();
        assertThat(config).isNotNull();
        Map<String, String> secretData = Repo.get(secret, "stringData");
        // Placeholders only: real values come from the secret store.
        secretData.forEach((key, value) -> assertThat(value).as(key).isEqualTo("REPLACE_ME"));
        Map<String, String> configData = Repo.get(config, "data");
        assertThat(configData).containsKeys("POSTGRES_HOST", "REDIS_HOST", "KAFKA_BOOTSTRAP_SERVERS",
                "CONFIG_SERVER_URL", "EUREKA_URL", "PUBLIC_BASE_URL");
        for (Map<String, Object> deployment : ofKind("Deployment")) {
            Map<String, Object> pod = Repo.get(deployment, "spec", "template", "spec");
            for (Map<String, Object> container : (List<Map<String, Object>>) pod.get("containers")) {
                for (Map<String, Object> env : (List<Map<String, Object>>) container.getOrDefault("env", List.of())) {
                    String secretKey = Repo.get(env, "valueFrom", "secretKeyRef", "key");
                    // An optional key (a feature switched on by setting it) may be absent from the placeholders.
                    if (secretKey != null && !Boolean.TRUE.equals(Repo.get(env, "valueFrom", "secretKeyRef",
                            "optional"))) {
                        assertThat(secretData).as(name(deployment) + " " + env.get("name")).containsKey(secretKey);
                    }
                }
            }
        }
    }

    /**
     * A production pod runs without the local profile: every placeholder without a default in
     * deploy/config-repo/application.yml or &lt;service&gt;.yml must come from the pod's environment.
     */
    @Test
    void everySettingWithoutADefaultIsGivenToThePod() {
        Map<String, String> configData = Repo.get(find("ConfigMap", "clinicwave-config"), "data");
        java.util.regex.Pattern required = java.util.regex.Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");
        Map<String, List<String>> missing = new java.util.TreeMap<>();
        for (Map<String, Object> deployment : ofKind("Deployment")) {
            String name = name(deployment);
            Path own = Repo.path("deploy/config-repo/" + name + ".yml");
            if (!Files.exists(own)) {
                continue;
            }
            Set<String> given = new HashSet<>(configData.keySet());
            Map<String, Object> container = ((List<Map<String, Object>>) Repo.get(deployment, "spec", "template",
                    "spec", "containers")).getFirst();
            ((List<Map<String, Object>>) container.getOrDefault("env", List.of()))
                    .forEach(env -> given.add((String) env.get("name")));
            for (String file : List.of("application.yml", name + ".yml")) {
                java.util.regex.Matcher m = required.matcher(Repo.read("deploy/config-repo/" + file));
                while (m.find()) {
                    if (!given.contains(m.group(1))) {
                        missing.computeIfAbsent(name, k -> new ArrayList<>()).add(m.group(1) + " (" + file + ")");
                    }
                }
            }
        }
        assertThat(missing).as("settings without a default that no Deployment env or ConfigMap key provides "
                + "(add them to deploy/k8s: Secret clinicwave-secrets or ConfigMap clinicwave-config)").isEmpty();
    }

    @Test
    void kustomizationsListEveryManifest() {
        // The whole platform: the shared files, and every service's directory.
        Map<String, Object> root = Repo.yamlMap(DIR + "/kustomization.yaml");
        assertThat(root.get("namespace")).isEqualTo("clinicwave");
        List<String> expected = new ArrayList<>(Repo.files(DIR, ".yaml").stream().map(p -> p.getFileName().toString())
                .filter(f -> !f.equals("kustomization.yaml")).toList());
        for (Map<String, Object> deployment : ofKind("Deployment")) {
            expected.add(name(deployment));
        }
        assertThat((List<String>) root.get("resources")).containsExactlyInAnyOrderElementsOf(expected);
        // Each service's directory (applied alone by the CD job) and logging/: every file of the directory.
        for (Path dir : K8s.kustomizations()) {
            if (dir.equals(K8s.DIR) || K8s.DIR.relativize(dir).startsWith("examples")) {
                continue;
            }
            Map<String, Object> kustomization = Repo.yamlMap(Repo.ROOT.relativize(dir) + "/kustomization.yaml");
            List<String> listed = new ArrayList<>((List<String>) kustomization.get("resources"));
            List<Map<String, Object>> generators = (List<Map<String, Object>>) kustomization
                    .getOrDefault("configMapGenerator", List.of());
            generators.forEach(g -> listed.addAll((List<String>) g.get("files")));
            List<String> files;
            try (var list = Files.list(dir)) {
                files = list.map(p -> p.getFileName().toString()).filter(f -> !f.equals("kustomization.yaml"))
                        .toList();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertThat(listed).as(dir.toString()).containsExactlyInAnyOrderElementsOf(files);
            assertThat(kustomization.get("namespace")).as(dir.toString()).isNotNull();
        }
    }

    /**
     * Schema validation against the Kubernetes OpenAPI schemas (types, required fields, enums), offline, with the
     * kubernetes-models npm package (deploy/k8s/validate). Installs it with npm the first time.
     */
    @Test
    void manifestsValidateAgainstTheKubernetesSchemas() {
        Path validator = Repo.path(DIR + "/validate");
        String reason = schemaValidatorMissing();
        assumeTrue(reason == null, reason);
        Tools.Result result = Tools.run(validator, 120, "node", "validate.mjs");
        if (result.exitCode() != 0) {
            fail("Kubernetes schema validation failed:\n" + result.output());
        }
        assertThat(result.output()).contains(OBJECTS.size() + " passed, 0 failed");
    }

    /**
     * Validates the objects of one file (e.g. rendered by kustomize) against the Kubernetes schemas: null when they
     * pass or when the validator cannot be installed here, else the validator's report.
     */
    static String validateWithSchemas(Path file) {
        if (schemaValidatorMissing() != null) {
            return null;
        }
        Tools.Result result = Tools.run(Repo.path(DIR + "/validate"), 120, "node", "validate.mjs", file.toString());
        return result.exitCode() == 0 ? null : "Kubernetes schema validation failed:\n" + result.output();
    }

    /** Installs the npm validator the first time (npm ci); the reason it is unavailable, or null. */
    private static synchronized String schemaValidatorMissing() {
        if (!Tools.onPath("node")) {
            return "node is not installed here, so the schema check is skipped (apt-get install -y nodejs npm)";
        }
        Path validator = Repo.path(DIR + "/validate");
        if (!Files.isDirectory(validator.resolve("node_modules/kubernetes-models"))) {
            if (!Tools.onPath("npm")) {
                return "npm is not installed here, so the schema check is skipped (apt-get install -y npm)";
            }
            Tools.Result install = Tools.run(validator, 300, "npm", "ci", "--no-audit", "--no-fund");
            if (install.exitCode() != 0) {
                return "npm ci in deploy/k8s/validate failed (no npm registry?), schema check skipped:\n"
                        + install.output();
            }
        }
        return null;
    }

    private static List<Map<String, Object>> loadAll() {
        return K8s.objects();
    }

    private static List<Map<String, Object>> ofKind(String kind) {
        return OBJECTS.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    private static Map<String, Object> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(name(o))).findFirst().orElse(null);
    }

    private static String name(Map<String, Object> object) {
        return Repo.get(object, "metadata", "name");
    }
}
