package com.clinicwave.deploytests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The image recipe and the CI workflows: every service buildable as a non-root image, built and tested alone. */
@SuppressWarnings("unchecked")
class ImageAndWorkflowTests {

    private static final String DOCKERFILE = Repo.read("deploy/docker/Dockerfile");

    @Test
    void imageRunsTheLayeredJarOfAnyModuleAsANonRootUserOnAJava21Runtime() {
        assertThat(DOCKERFILE).contains("ARG MODULE").contains("COPY ${MODULE}/target/${MODULE}.jar app.jar")
                .contains("-Djarmode=tools").contains("extract --layers --launcher")
                .contains("org.springframework.boot.loader.launch.JarLauncher");
        Matcher base = Pattern.compile("ARG JAVA_IMAGE=eclipse-temurin:(\\d+)-jre").matcher(DOCKERFILE);
        assertThat(base.find()).as("a JRE base image").isTrue();
        assertThat(Integer.parseInt(base.group(1))).isGreaterThanOrEqualTo(21);
        // Layers from the least to the most often changed, so a code change ships one small layer.
        assertThat(DOCKERFILE.indexOf("extracted/dependencies/")).isLessThan(DOCKERFILE.indexOf("extracted/application/"));
        Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(DOCKERFILE);
        assertThat(user.find()).as("a USER instruction").isTrue();
        assertThat(user.group(1)).doesNotStartWith("root").doesNotStartWith("0");
        assertThat(DOCKERFILE).containsPattern("(?m)^HEALTHCHECK .*healthcheck");
        assertThat(Files.isExecutable(Repo.path("deploy/docker/healthcheck.sh"))).isTrue();
    }

    @Test
    void buildContextAdmitsTheJarsAndTheHealthcheckOnly() {
        List<String> ignore = Repo.read(".dockerignore").lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .toList();
        assertThat(ignore).containsExactly("*", "!*/target/*.jar", "!deploy/docker/healthcheck.sh");
    }

    @Test
    void everyServiceModuleProducesTheJarTheImageCopies() {
        for (String module : Repo.serviceModules()) {
            assertThat(Repo.read(module + "/pom.xml")).as(module).contains("<finalName>" + module + "</finalName>");
        }
        assertThat(Repo.read("deploy/docker/build-images.sh")).contains(Repo.serviceModules());
    }

    @Test
    void ciBuildsAndTestsEachServiceWhenItsPathsChange() {
        Map<String, Object> ci = Repo.yamlMap(".github/workflows/ci.yml");
        Map<String, Object> filters = filters(ci);
        for (String module : Repo.serviceModules()) {
            assertThat(filters).as("ci path filter for " + module).containsKey(module);
            assertThat(String.valueOf(filters.get(module))).as(module).contains(module + "/**", "platform/**");
        }
        assertThat(filters).containsKey("deploy-tests");
        List<Map<String, Object>> steps = Repo.get(ci, "jobs", "build", "steps");
        assertThat(steps).anySatisfy(step -> assertThat(String.valueOf(step.get("run")))
                .contains("-pl ${{ matrix.module }}").contains("verify"));
    }

    @Test
    void imagesAreBuiltOnMainWithTheSharedDockerfile() {
        Map<String, Object> images = Repo.yamlMap(".github/workflows/images.yml");
        Object on = images.containsKey("on") ? images.get("on") : images.get(Boolean.TRUE);
        assertThat(Repo.<List<String>>get(on, "push", "branches")).containsExactly("main");
        Map<String, Object> filters = filters(images);
        Repo.serviceModules().forEach(module -> assertThat(filters).as(module).containsKey(module));
        List<Map<String, Object>> steps = Repo.get(images, "jobs", "image", "steps");
        assertThat(steps).anySatisfy(step -> {
            assertThat(String.valueOf(step.get("uses"))).startsWith("docker/build-push-action");
            assertThat(Repo.<String>get(step, "with", "file")).isEqualTo("deploy/docker/Dockerfile");
        });
    }

    private static Map<String, Object> filters(Map<String, Object> workflow) {
        List<Map<String, Object>> steps = Repo.get(workflow, "jobs", "changes", "steps");
        Map<String, Object> filterStep = steps.stream()
                .filter(s -> String.valueOf(s.get("uses")).startsWith("dorny/paths-filter")).findFirst().orElseThrow();
        return (Map<String, Object>) Repo.yaml().load(Repo.<String>get(filterStep, "with", "filters"));
    }
}
