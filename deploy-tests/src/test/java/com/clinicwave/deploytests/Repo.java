package com.clinicwave.deploytests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The repository under test: its files, parsed, and the service modules the reactor builds. */
final class Repo {

    static final Path ROOT = Path.of(System.getProperty("clinicwave.root", "..")).toAbsolutePath().normalize();
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** Modules that are no deployable service: libraries and test modules. */
    /** Modules that are no Java service: tests, and the patient web app (static files, its own nginx image). */
    private static final List<String> NOT_SERVICES = List.of("deploy-tests", "system-tests", "companion-web");

    private Repo() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The deployable service modules of the root pom, in reactor order. */
    static List<String> serviceModules() {
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(read("pom.xml"));
        List<String> modules = new ArrayList<>();
        while (m.find()) {
            String module = m.group(1).trim();
            if (!module.startsWith("platform/") && !NOT_SERVICES.contains(module)) {
                modules.add(module);
            }
        }
        return modules;
    }

    static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(options);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yamlMap(String relative) {
        return (Map<String, Object>) yaml().load(read(relative));
    }

    /** Every non-empty YAML document of a file. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocuments(Path file) {
        List<Map<String, Object>> docs = new ArrayList<>();
        try {
            for (Object doc : yaml().loadAll(Files.readString(file))) {
                if (doc != null) {
                    docs.add((Map<String, Object>) doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> files(String dir, String suffix) {
        try (Stream<Path> files = Files.list(path(dir))) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A nested value: get(map, "a", "b") is map.a.b, or null. */
    @SuppressWarnings("unchecked")
    static <T> T get(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return (T) current;
    }
}
