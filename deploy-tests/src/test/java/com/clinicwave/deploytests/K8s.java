package com.clinicwave.deploytests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * deploy/k8s: the manifests (one kustomization per service, shared files at the top, log shipping in logging/),
 * and their rendering by kustomize where kubectl is installed.
 */
final class K8s {

    static final Path DIR = Repo.path("deploy/k8s");
    /** Not manifests of the platform: the npm schema validator, and examples made of patches. */
    private static final List<String> NOT_MANIFESTS = List.of("validate", "examples");

    private K8s() {
    }

    /** Every manifest file of the platform (kustomization.yaml files excepted), sorted. */
    static List<Path> manifestFiles() {
        try (Stream<Path> files = Files.walk(DIR)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                    .filter(f -> !NOT_MANIFESTS.contains(DIR.relativize(f).getName(0).toString()))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every object of every manifest file. */
    static List<Map<String, Object>> objects() {
        List<Map<String, Object>> objects = new ArrayList<>();
        manifestFiles().forEach(file -> objects.addAll(Repo.yamlDocuments(file)));
        return objects;
    }

    /** Every directory holding a kustomization.yaml (the whole platform, each service, logging, the examples). */
    static List<Path> kustomizations() {
        try (Stream<Path> files = Files.walk(DIR)) {
            return files.filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
                    .filter(f -> !DIR.relativize(f).toString().startsWith("validate/"))
                    .map(Path::getParent).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * kubectl's built-in kustomize (v4 or later: directories in resources, patches), or empty with the reason.
     * Debian's kubernetes-client (1.20) carries kustomize v2, which does not understand this layout.
     */
    static synchronized Optional<String> kustomizeUnavailable() {
        if (kustomizeUnavailable == null) {
            kustomizeUnavailable = checkKustomize();
        }
        return kustomizeUnavailable;
    }

    private static Optional<String> kustomizeUnavailable;

    private static Optional<String> checkKustomize() {
        if (!Tools.onPath("kubectl")) {
            return Optional.of("kubectl is not installed here (it carries kustomize)");
        }
        Tools.Result version = Tools.run(DIR, 30, "kubectl", "version", "--client");
        Matcher m = Pattern.compile("Kustomize Version: v(\\d+)").matcher(version.output());
        if (!m.find() || Integer.parseInt(m.group(1)) < 4) {
            return Optional.of("kubectl here has no kustomize v4 or later: " + version.output().strip());
        }
        return Optional.empty();
    }

    private static final Map<Path, List<Map<String, Object>>> RENDERED = new java.util.concurrent.ConcurrentHashMap<>();

    /** `kubectl kustomize dir` (once per directory): the objects it renders, or an AssertionError with its message. */
    static List<Map<String, Object>> render(Path dir) {
        return RENDERED.computeIfAbsent(dir, K8s::kustomize);
    }

    private static List<Map<String, Object>> kustomize(Path dir) {
        Tools.Result result = Tools.run(dir, 60, "kubectl", "kustomize", ".");
        if (result.exitCode() != 0) {
            throw new AssertionError("kubectl kustomize " + DIR.relativize(dir) + " failed:\n" + result.output());
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object doc : Repo.yaml().loadAll(result.output())) {
            if (doc != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) doc;
                objects.add(object);
            }
        }
        return List.copyOf(objects);
    }

    static String name(Map<String, Object> object) {
        return Repo.get(object, "metadata", "name");
    }
}
