package com.clinicwave.deploytests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Egress on Kubernetes: every pod of namespace clinicwave reaches exactly what it calls — derived here from its
 * configuration (deploy/config-repo, docker-compose.yml) — and nothing else.
 */
@SuppressWarnings("unchecked")
class KubernetesNetworkPolicyTests {

    /** Namespace clinicwave: every manifest but the log shipper's (namespace logging). */
    private static final List<Map<String, Object>> OBJECTS = K8s.manifestFiles().stream()
            .filter(f -> !K8s.DIR.relativize(f).startsWith("logging"))
            .flatMap(f -> Repo.yamlDocuments(f).stream()).toList();
    private static final Map<String, Map<String, Object>> COMPOSE = Repo.get(Repo.yamlMap("docker-compose.yml"),
            "services");
    /** External managed infrastructure, reached by address range: the port tells which. */
    private static final Map<Integer, String> INFRASTRUCTURE_PORTS = Map.of(5432, "postgres", 6379, "redis",
            9092, "kafka");

    /**
     * HTTPS to the internet, and why. Providers' URLs are in provider-connection-service's catalog
     * (deploy/config-repo); athena-service and claims-service call the API and FHIR base URLs that catalog gives
     * them; auth-service calls an external IdP (federation); config-server clones its git repository.
     */
    private static final Set<String> EXTERNAL_HTTPS = Set.of("provider-connection-service", "athena-service",
            "claims-service", "auth-service", "config-server");

    @Test
    void everyServiceReachesExactlyWhatItsConfigurationCalls() {
        Map<String, Set<String>> expected = new TreeMap<>();
        Map<String, Set<String>> allowed = new TreeMap<>();
        for (Map<String, Object> deployment : ofKind("Deployment")) {
            String service = K8s.name(deployment);
            expected.put(service, needs(service));
            allowed.put(service, allowed(Repo.get(deployment, "spec", "template", "metadata", "labels")));
        }
        assertThat(allowed).as("egress each pod is allowed (left) against what its configuration calls")
                .isEqualTo(expected);
    }

    @Test
    void egressIsDeniedByDefaultAndNeverOpenToEverything() {
        assertThat(ofKind("NetworkPolicy")).anySatisfy(p -> {
            assertThat(Repo.<Map<String, Object>>get(p, "spec", "podSelector")).isEmpty();
            assertThat(Repo.<List<String>>get(p, "spec", "policyTypes")).containsExactly("Egress");
            assertThat(Repo.<Object>get(p, "spec", "egress")).isNull();
        });
        for (Map<String, Object> policy : ofKind("NetworkPolicy")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) Repo.<Object>get(policy, "spec", "egress")
                    == null ? List.<Map<String, Object>>of() : Repo.<List<Map<String, Object>>>get(policy, "spec",
                            "egress")) {
                assertThat(rule).as(K8s.name(policy) + ": every rule names its destination and its ports")
                        .containsKeys("to", "ports");
                for (Map<String, Object> to : (List<Map<String, Object>>) rule.get("to")) {
                    String cidr = Repo.get(to, "ipBlock", "cidr");
                    if ("0.0.0.0/0".equals(cidr)) {
                        // The internet, never the cluster's or the cloud's private ranges (metadata endpoint).
                        assertThat(Repo.<List<String>>get(to, "ipBlock", "except")).as(K8s.name(policy))
                                .contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16");
                        assertThat((List<Map<String, Object>>) rule.get("ports")).as(K8s.name(policy))
                                .allSatisfy(p -> assertThat(p.get("port")).isEqualTo(443));
                    }
                }
            }
        }
    }

    /** The log shipper's namespace denies by default as well, and Fluent Bit reaches DNS, the API and Elasticsearch. */
    @Test
    void logShippingNamespaceDeniesByDefault() {
        List<Map<String, Object>> policies = Repo.yamlDocuments(Repo.path("deploy/k8s/logging/network-policies.yaml"));
        assertThat(policies).anySatisfy(p -> {
            assertThat(Repo.<Map<String, Object>>get(p, "spec", "podSelector")).isEmpty();
            assertThat(Repo.<List<String>>get(p, "spec", "policyTypes")).contains("Ingress", "Egress");
        });
        Map<String, Object> fluentBit = policies.stream().filter(p -> "fluent-bit".equals(K8s.name(p))).findFirst()
                .orElseThrow();
        List<Map<String, Object>> egress = Repo.get(fluentBit, "spec", "egress");
        List<Object> ports = new ArrayList<>();
        egress.forEach(rule -> ((List<Map<String, Object>>) rule.get("ports")).forEach(p -> ports.add(p.get("port"))));
        String esPort = Repo.get(Repo.yamlDocuments(Repo.path("deploy/k8s/logging/namespace.yaml")).stream()
                .filter(o -> "fluent-bit-env".equals(K8s.name(o))).findFirst().orElseThrow(), "data",
                "ELASTICSEARCH_PORT");
        assertThat(ports).contains(53, 443, Integer.parseInt(esPort));
    }

    /** What a service calls, from its configuration. */
    private static Set<String> needs(String service) {
        Set<String> needs = new TreeSet<>();
        needs.add("dns:53");
        Map<String, Object> compose = COMPOSE.get(service);
        Map<String, Object> env = compose == null ? Map.of() : (Map<String, Object>) compose.get("environment");
        if (env == null) {
            env = Map.of();
        }
        if (env.containsKey("EUREKA_URL")) {
            needs.add("registry:" + port("registry"));
        }
        if (env.containsKey("CONFIG_SERVER_URL")) {
            needs.add("config-server:" + port("config-server"));
        }
        if (env.containsKey("ZIPKIN_URL")) {
            needs.add("zipkin:9411");
        }
        Object dependsOn = compose == null ? null : compose.get("depends_on");
        Set<String> dependencies = dependsOn instanceof Map<?, ?> map ? (Set<String>) map.keySet() : Set.of();
        for (String infrastructure : INFRASTRUCTURE_PORTS.values()) {
            if (dependencies.contains(infrastructure)) {
                int port = INFRASTRUCTURE_PORTS.entrySet().stream()
                        .filter(e -> e.getValue().equals(infrastructure)).findFirst().orElseThrow().getKey();
                needs.add(infrastructure + ":" + port);
            }
        }
        String config = configRepo(service);
        assertThat(config.contains("datasource:")).as(service + ": a datasource in config-repo iff compose gives it"
                + " PostgreSQL").isEqualTo(dependencies.contains("postgres"));
        if (config.contains("localhost:9000")) {
            needs.add("auth-service:" + port("auth-service"));
        }
        Matcher called = Pattern.compile("(?:lb|http)://([a-z][a-z-]+)").matcher(config);
        while (called.find()) {
            String other = called.group(1);
            if (!other.equals("localhost") && find("Deployment", other) != null) {
                needs.add(other + ":" + port(other));
            }
        }
        if (EXTERNAL_HTTPS.contains(service)) {
            needs.add("internet:443");
        }
        return needs;
    }

    /** What the NetworkPolicies selecting a pod with these labels let it reach. */
    private static Set<String> allowed(Map<String, String> labels) {
        Set<String> allowed = new TreeSet<>();
        for (Map<String, Object> policy : ofKind("NetworkPolicy")) {
            if (!Repo.<List<String>>get(policy, "spec", "policyTypes").contains("Egress")
                    || !selects(Repo.get(policy, "spec", "podSelector"), labels)) {
                continue;
            }
            List<Map<String, Object>> rules = Repo.get(policy, "spec", "egress");
            for (Map<String, Object> rule : rules == null ? List.<Map<String, Object>>of() : rules) {
                for (Map<String, Object> to : (List<Map<String, Object>>) rule.get("to")) {
                    for (Map<String, Object> port : (List<Map<String, Object>>) rule.get("ports")) {
                        allowed.add(destination(to, (Integer) port.get("port")) + ":" + port.get("port"));
                    }
                }
            }
        }
        return allowed;
    }

    private static String destination(Map<String, Object> to, int port) {
        String namespace = Repo.get(to, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name");
        String app = Repo.get(to, "podSelector", "matchLabels", "app.kubernetes.io/name");
        if ("kube-system".equals(namespace) && "kube-dns".equals(Repo.get(to, "podSelector", "matchLabels",
                "k8s-app"))) {
            return "dns";
        }
        if ("observability".equals(namespace) && "zipkin".equals(app)) {
            return "zipkin";
        }
        if (namespace == null && !to.containsKey("namespaceSelector") && app != null) {
            return app;
        }
        String cidr = Repo.get(to, "ipBlock", "cidr");
        if ("0.0.0.0/0".equals(cidr)) {
            return "internet";
        }
        if (cidr != null && INFRASTRUCTURE_PORTS.containsKey(port)) {
            return INFRASTRUCTURE_PORTS.get(port);
        }
        return "unrecognised " + to;
    }

    private static boolean selects(Map<String, Object> selector, Map<String, String> labels) {
        Map<String, String> match = (Map<String, String>) selector.getOrDefault("matchLabels", Map.of());
        if (!labels.entrySet().containsAll(match.entrySet())) {
            return false;
        }
        for (Map<String, Object> expression : (List<Map<String, Object>>) selector.getOrDefault("matchExpressions",
                List.of())) {
            assertThat(expression.get("operator")).as("only In expressions are understood here").isEqualTo("In");
            if (!((List<String>) expression.get("values")).contains(labels.get((String) expression.get("key")))) {
                return false;
            }
        }
        return true;
    }

    /** The service's container port named http: what others call. */
    private static int port(String service) {
        Map<String, Object> deployment = find("Deployment", service);
        List<Map<String, Object>> containers = Repo.get(deployment, "spec", "template", "spec", "containers");
        return (Integer) ((List<Map<String, Object>>) containers.getFirst().get("ports")).stream()
                .filter(p -> "http".equals(p.get("name"))).findFirst().orElseThrow().get("containerPort");
    }

    private static String configRepo(String service) {
        var file = Repo.path("deploy/config-repo/" + service + ".yml");
        return Files.exists(file) ? Repo.read("deploy/config-repo/" + service + ".yml") : "";
    }

    private static List<Map<String, Object>> ofKind(String kind) {
        return OBJECTS.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    private static Map<String, Object> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(K8s.name(o))).findFirst().orElse(null);
    }
}
