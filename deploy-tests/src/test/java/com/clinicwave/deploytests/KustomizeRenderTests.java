package com.clinicwave.deploytests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What `kubectl apply -k` sends: every kustomization under deploy/k8s (the platform, each service alone, logging,
 * the examples) rendered by kubectl's kustomize and every rendered object checked against the Kubernetes API types
 * (fabric8, unknown fields fail) and, where the npm validator is installed, the Kubernetes OpenAPI schemas.
 * Without kubectl the examples' patches are still bound as documents.
 */
@SuppressWarnings("unchecked")
class KustomizeRenderTests {

    @Test
    void everyKustomizationRendersToValidKubernetesObjects() {
        Optional<String> unavailable = K8s.kustomizeUnavailable();
        if (unavailable.isPresent()) {
            System.err.println("SKIPPED: rendered kustomizations are not validated: " + unavailable.get());
        }
        assumeTrue(unavailable.isEmpty(), () -> unavailable.get());
        Map<String, List<String>> problems = new TreeMap<>();
        List<Map<String, Object>> all = new ArrayList<>();
        for (Path dir : K8s.kustomizations()) {
            String name = K8s.DIR.relativize(dir).toString();
            List<Map<String, Object>> objects = K8s.render(dir);
            assertThat(objects).as(name).isNotEmpty();
            all.addAll(objects);
            List<String> found = KubernetesApiTypesTests.bindingProblems(name, objects);
            if (!found.isEmpty()) {
                problems.put(name.isEmpty() ? "." : name, found);
            }
        }
        // One run of the npm schema validator over everything rendered (node starts once).
        String schema = KubernetesManifestTests.validateWithSchemas(renderedFile(all));
        if (schema != null) {
            problems.put("kubernetes-models schemas", List.of(schema));
        }
        assertThat(problems).as("rendered kustomizations that are not valid Kubernetes objects").isEmpty();
    }

    @Test
    void eachServiceRendersAloneWithTheImageCiPushes() {
        assumeTrue(K8s.kustomizeUnavailable().isEmpty(), () -> K8s.kustomizeUnavailable().get());
        for (Map<String, Object> deployment : K8s.objects().stream().filter(o -> "Deployment".equals(o.get("kind")))
                .toList()) {
            String service = K8s.name(deployment);
            List<Map<String, Object>> objects = K8s.render(K8s.DIR.resolve(service));
            assertThat(objects).as(service).allSatisfy(o -> {
                assertThat(Repo.<String>get(o, "metadata", "namespace")).isEqualTo("clinicwave");
                assertThat(K8s.name(o)).startsWith(service);
            });
            Map<String, Object> rendered = objects.stream().filter(o -> "Deployment".equals(o.get("kind")))
                    .findFirst().orElseThrow();
            List<Map<String, Object>> containers = Repo.get(rendered, "spec", "template", "spec", "containers");
            assertThat((String) containers.getFirst().get("image")).as(service)
                    .isEqualTo(ImageAndWorkflowTests.pushedImage(service, "clinicwave") + ":main");
        }
    }

    @Test
    void theExternalIdpExampleRendersAuthServiceWithTheRegistration() {
        Path example = K8s.DIR.resolve("examples/idp-auth0");
        // Without kustomize: the patch itself binds to the Deployment type (no unknown or misplaced field).
        List<Map<String, Object>> patch = Repo.yamlDocuments(example.resolve("auth-service-auth0.yaml"));
        assertThat(KubernetesApiTypesTests.bindingProblems("examples/idp-auth0 patch", patch)).isEmpty();
        assumeTrue(K8s.kustomizeUnavailable().isEmpty(), () -> K8s.kustomizeUnavailable().get());
        Map<String, Object> deployment = K8s.render(example).stream()
                .filter(o -> "Deployment".equals(o.get("kind"))).findFirst().orElseThrow();
        List<Map<String, Object>> containers = Repo.get(deployment, "spec", "template", "spec", "containers");
        List<Map<String, Object>> env = (List<Map<String, Object>>) containers.getFirst().get("env");
        List<String> names = env.stream().map(e -> (String) e.get("name")).toList();
        // The patch adds the registration to auth-service's own settings; it replaces none of them.
        assertThat(names).contains("DB_PASSWORD", "AUTH_KEY_ENCRYPTION_KEY",
                "SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_AUTH0_CLIENTSECRET");
        assertThat(names).doesNotHaveDuplicates();
    }

    private static Path renderedFile(List<Map<String, Object>> objects) {
        try {
            Path file = Files.createTempFile("kustomize-", ".yaml");
            Files.writeString(file, Repo.yaml().dumpAll(objects.iterator()));
            file.toFile().deleteOnExit();
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
