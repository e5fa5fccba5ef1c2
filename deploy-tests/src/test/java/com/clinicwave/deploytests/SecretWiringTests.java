package com.clinicwave.deploytests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
 * Every secret a service reads — each `${VAR}` with a secret's name (password, client secret, key, keyset, JWK set)
 * in its configuration (deploy/config-repo/application.yml and &lt;service&gt;.yml, the module's application.yml) —
 * comes from a Secret on Kubernetes (secretKeyRef) and from the environment in docker-compose.yml, never inline.
 */
@SuppressWarnings("unchecked")
class SecretWiringTests {

    static final Pattern SECRET_PLACEHOLDER = Pattern
            .compile("\\$\\{([A-Z][A-Z0-9_]*(?:PASSWORD|SECRET|_KEY|KEYSET|JWKS))(?::[^}]*)?}");
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Z0-9_]*(?:PASSWORD|SECRET|_KEY|KEYSET|JWKS)");
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{[A-Z][A-Z0-9_]*(?:(?::?[-?])[^}]*)?}");

    private static final Map<String, Map<String, Object>> COMPOSE = Repo.get(Repo.yamlMap("docker-compose.yml"),
            "services");

    @Test
    void everySecretAServiceReadsIsWiredFromASecretAndFromTheEnvironment() {
        Map<String, Set<String>> read = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> deployment : K8s.objects().stream().filter(o -> "Deployment".equals(o.get("kind")))
                .toList()) {
            String service = K8s.name(deployment);
            Set<String> secrets = secretsRead(service);
            read.put(service, secrets);
            Map<String, Map<String, Object>> env = new TreeMap<>();
            List<Map<String, Object>> containers = Repo.get(deployment, "spec", "template", "spec", "containers");
            ((List<Map<String, Object>>) containers.getFirst().getOrDefault("env", List.of()))
                    .forEach(e -> env.put((String) e.get("name"), e));
            Map<String, Object> composeEnv = COMPOSE.containsKey(service)
                    ? (Map<String, Object>) COMPOSE.get(service).get("environment") : Map.of();
            for (String secret : secrets) {
                if (Repo.get(env.get(secret), "valueFrom", "secretKeyRef", "key") == null) {
                    problems.add(service + " " + secret + ": no secretKeyRef in deploy/k8s/" + service);
                }
                Object value = composeEnv == null ? null : composeEnv.get(secret);
                if (value == null || !INTERPOLATION.matcher(String.valueOf(value)).matches()) {
                    problems.add(service + " " + secret + ": not from the environment in docker-compose.yml (" + value
                            + ")");
                }
            }
        }
        System.out.println("Secrets each service reads (deploy/config-repo): " + read);
        assertThat(read.get("auth-service")).contains("DB_PASSWORD", "AUTH_KEY_ENCRYPTION_KEY",
                "GATEWAY_CLIENT_SECRET", "REDIS_PASSWORD");
        assertThat(read.get("provider-connection-service")).contains("CONNECTIONS_TOKEN_KEYSET",
                "CONNECTIONS_CLIENT_ASSERTION_JWKS", "EPIC_CLIENT_SECRET");
        assertThat(read.get("config-server")).contains("ENCRYPT_KEY", "CONFIG_SERVER_PASSWORD");
        assertThat(problems).as("secrets not wired from a Secret (k8s) or the environment (compose)").isEmpty();
    }

    @Test
    void noSecretIsWrittenInline() {
        List<String> inline = new ArrayList<>();
        for (Path file : allKubernetesFiles()) {
            for (Map<String, Object> object : Repo.yamlDocuments(file)) {
                if (!"Deployment".equals(object.get("kind")) && !"DaemonSet".equals(object.get("kind"))) {
                    continue;
                }
                List<Map<String, Object>> containers = Repo.get(object, "spec", "template", "spec", "containers");
                for (Map<String, Object> container : containers) {
                    for (Map<String, Object> env : (List<Map<String, Object>>) container.getOrDefault("env",
                            List.of())) {
                        if (SECRET_NAME.matcher((String) env.get("name")).matches() && env.containsKey("value")) {
                            inline.add(K8s.DIR.relativize(file) + " " + env.get("name"));
                        }
                    }
                }
            }
        }
        COMPOSE.forEach((service, definition) -> {
            Map<String, Object> env = (Map<String, Object>) definition.get("environment");
            if (env != null) {
                env.forEach((name, value) -> {
                    if (SECRET_NAME.matcher(name).matches()
                            && !INTERPOLATION.matcher(String.valueOf(value)).matches()) {
                        inline.add("docker-compose.yml " + service + " " + name);
                    }
                });
            }
        });
        assertThat(inline).as("secrets written as values").isEmpty();
    }

    /** Secret-named placeholders of the service's production configuration (not the local profile). */
    static Set<String> secretsRead(String service) {
        List<String> files = new ArrayList<>(List.of(service + "/src/main/resources/application.yml",
                "deploy/config-repo/" + service + ".yml"));
        if (Files.exists(Repo.path("deploy/config-repo/" + service + ".yml"))) {
            files.add("deploy/config-repo/application.yml");
        }
        Set<String> secrets = new TreeSet<>();
        for (String file : files) {
            if (!Files.exists(Repo.path(file))) {
                continue;
            }
            Matcher m = SECRET_PLACEHOLDER.matcher(Repo.read(file));
            while (m.find()) {
                secrets.add(m.group(1));
            }
        }
        // application.yml configures Redis for every service; a service without Redis (compose starts it without
        // Redis) never connects, so it needs no password.
        Object dependsOn = COMPOSE.containsKey(service) ? COMPOSE.get(service).get("depends_on") : null;
        if (!(dependsOn instanceof Map<?, ?> map && map.containsKey("redis"))) {
            secrets.remove("REDIS_PASSWORD");
        }
        return secrets;
    }

    private static List<Path> allKubernetesFiles() {
        try (var files = Files.walk(K8s.DIR)) {
            return files.filter(f -> f.toString().endsWith(".yaml") && !f.toString().contains("node_modules"))
                    .sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
