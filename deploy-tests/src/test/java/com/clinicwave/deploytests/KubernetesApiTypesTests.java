package com.clinicwave.deploytests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Binds every manifest in deploy/k8s to the Kubernetes API types (fabric8's model of the Kubernetes OpenAPI): a
 * wrong type fails the binding, and a field the API does not know (misspelt, or at the wrong level) is reported —
 * what the npm schema check in {@link KubernetesManifestTests} does not catch.
 */
class KubernetesApiTypesTests {

    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.ofEntries(
            Map.entry("apps/v1/DaemonSet", DaemonSet.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class),
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class));

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    @Test
    void everyManifestBindsToItsKubernetesTypeWithoutUnknownFields() {
        List<String> problems = new ArrayList<>();
        int bound = 0;
        for (Path file : K8s.manifestFiles()) {
            List<Map<String, Object>> objects = Repo.yamlDocuments(file);
            problems.addAll(bindingProblems(K8s.DIR.relativize(file).toString(), objects));
            bound += objects.size();
        }
        assertThat(problems).as("manifests that do not bind to the Kubernetes API types").isEmpty();
        assertThat(bound).isGreaterThan(20);
    }

    /** Binds each object to its Kubernetes API type; what does not bind, or carries unknown fields, is returned. */
    static List<String> bindingProblems(String source, List<Map<String, Object>> objects) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> document : objects) {
            String type = document.get("apiVersion") + "/" + document.get("kind");
            String where = source + " " + type + " " + Repo.get(document, "metadata", "name");
            Class<? extends HasMetadata> javaType = TYPES.get(type);
            if (javaType == null) {
                problems.add(where + ": no known Kubernetes type (add it to KubernetesApiTypesTests)");
                continue;
            }
            try {
                HasMetadata object = MAPPER.convertValue(document, javaType);
                unknownFields(object, "", problems, where, new IdentityHashMap<>());
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        return problems;
    }

    @Test
    void aMisspeltFieldIsReported() {
        Map<String, Object> deployment = Map.of("apiVersion", "apps/v1", "kind", "Deployment",
                "metadata", Map.of("name", "x"),
                "spec", Map.of("replicas", 2, "template", Map.of("spec", Map.of("containers",
                        List.of(Map.of("name", "x", "image", "i", "livenesProbe", Map.of("x", 1)))))));
        List<String> problems = new ArrayList<>();
        unknownFields(MAPPER.convertValue(deployment, Deployment.class), "", problems, "test",
                new IdentityHashMap<>());
        assertThat(problems).singleElement().asString().contains("spec.template.spec.containers[0]")
                .contains("livenesProbe");
    }

    /** fabric8 keeps fields it does not know in additionalProperties instead of failing: walk and report them. */
    private static void unknownFields(Object node, String path, List<String> problems, String where,
            IdentityHashMap<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems, where, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, problems, where, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(where + ": unknown field(s) " + extra.keySet() + " at "
                            + (path.isEmpty() ? "the top level" : path.substring(1)));
                }
                continue;
            }
            String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            unknownFields(value, path + "." + field, problems, where, seen);
        }
    }
}
