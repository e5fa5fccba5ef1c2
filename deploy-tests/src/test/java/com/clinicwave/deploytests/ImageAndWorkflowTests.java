package com.clinicwave.deploytests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
    void imagesAreBuiltOnlyAfterCiPassedOnMain() {
        Map<String, Object> images = IMAGES;
        Object on = images.containsKey("on") ? images.get("on") : images.get(Boolean.TRUE);
        Map<String, Object> ci = Repo.yamlMap(".github/workflows/ci.yml");
        assertThat(Repo.<List<String>>get(on, "workflow_run", "workflows")).containsExactly((String) ci.get("name"));
        assertThat(Repo.<List<String>>get(on, "workflow_run", "types")).containsExactly("completed");
        assertThat(Repo.<List<String>>get(on, "workflow_run", "branches")).containsExactly("main");
        assertThat(Repo.<Map<String, Object>>get(on, "push")).as("no build before ci passed").isNull();
        // The first job gates everything else: a passed ci run of a push (not a pull request's run).
        String gate = Repo.get(images, "jobs", "changes", "if");
        assertThat(gate).contains("github.event.workflow_run.conclusion == 'success'")
                .contains("github.event.workflow_run.event == 'push'");
        assertThat(Repo.<Object>get(images, "jobs", "image", "needs")).isEqualTo("changes");
        // The commit ci tested is the one built and tagged, not the branch's newest.
        assertThat(Repo.<String>get(images, "env", "SHA")).contains("github.event.workflow_run.head_sha");
        Map<String, Object> filters = filters(images);
        Repo.serviceModules().forEach(module -> assertThat(filters).as(module).containsKey(module));
        assertThat(filters).containsKey("companion-web");
        Map<String, Object> push = pushStep();
        assertThat(Repo.<String>get(push, "with", "file")).contains("'deploy/docker/Dockerfile'")
                .contains("'deploy/docker/companion-web/Dockerfile'");
    }

    /** One source of truth for image names: deploy/k8s's images: entries and compose name what CI pushes. */
    @Test
    void kubernetesAndComposeNameTheImagesCiPushes() {
        Map<String, Map<String, Object>> compose = Repo.get(Repo.yamlMap("docker-compose.yml"), "services");
        String buildScript = Repo.read("deploy/docker/build-images.sh");
        assertThat(buildScript).contains("prefix=\"${IMAGE_PREFIX:-clinicwave}\"")
                .contains("\"${prefix}/${service}:${tag}\"");
        for (Path dir : K8s.kustomizations()) {
            Map<String, Object> kustomization = Repo.yamlMap(Repo.ROOT.relativize(dir) + "/kustomization.yaml");
            List<Map<String, Object>> images = (List<Map<String, Object>>) kustomization.get("images");
            if (images == null || dir.getFileName().toString().equals("logging")) {
                continue;
            }
            String service = dir.getFileName().toString();
            assertThat(images).as(service).singleElement().satisfies(image -> {
                assertThat(image.get("name")).isEqualTo("clinicwave/" + service);
                assertThat(image.get("newName")).isEqualTo(pushedImage(service, "clinicwave"));
                assertThat(image.get("newTag")).as("the moving tag CI pushes").isEqualTo("main");
            });
            // The manifest names the placeholder the images: entry replaces.
            assertThat(Repo.read(Repo.ROOT.relativize(dir) + "/" + service + ".yaml"))
                    .contains("image: clinicwave/" + service + ":");
        }
        assertThat(Repo.yamlMap("deploy/k8s/kustomization.yaml")).as("images are named per service only")
                .doesNotContainKey("images");
        for (String service : compose.keySet()) {
            String image = (String) compose.get(service).get("image");
            if (!image.contains("CLINICWAVE_IMAGES")) {
                continue;
            }
            assertThat(image).isEqualTo("${CLINICWAVE_IMAGES:-clinicwave/}" + service + ":${CLINICWAVE_TAG:-dev}");
            // CLINICWAVE_IMAGES=ghcr.io/<owner>/clinicwave- runs CI's images.
            assertThat("ghcr.io/acme/clinicwave-" + service).isEqualTo(pushedImage(service, "acme"));
        }
    }

    @Test
    void deployJobAppliesOneServicesKustomizationWithThePushedImageWhereAClusterIsConfigured() {
        Map<String, Object> deploy = Repo.get(IMAGES, "jobs", "deploy");
        assertThat((List<String>) deploy.get("needs")).contains("image");
        assertThat((String) deploy.get("if")).contains("needs.image.result == 'success'");
        assertThat(Repo.<List<Map<String, String>>>get(deploy, "strategy", "matrix", "exclude"))
                .contains(Map.of("module", "provider-sandbox"));
        List<Map<String, Object>> steps = (List<Map<String, Object>>) deploy.get("steps");
        // The gate: the KUBECONFIG secret set or not (secrets cannot appear in `if:`), every later step behind it.
        Map<String, Object> gate = steps.getFirst();
        assertThat(Repo.<String>get(gate, "env", "KUBECONFIG_DATA")).isEqualTo("${{ secrets.KUBECONFIG }}");
        assertThat((String) gate.get("run")).contains("configured=true").contains("::notice::");
        steps.subList(1, steps.size()).forEach(step -> assertThat(step.get("if"))
                .isEqualTo("steps." + gate.get("id") + ".outputs.configured == 'true'"));
        Map<String, Object> apply = steps.getLast();
        String run = (String) apply.get("run");
        assertThat(run).contains("cd \"deploy/k8s/$MODULE\"").contains("kustomize edit set image \"clinicwave/$MODULE=$IMAGE\"")
                .contains("kubectl apply -k .").contains("rollout status");
        assertThat(Repo.<String>get(apply, "env", "IMAGE")).isEqualTo(pushedTags().getFirst());
        // Every deployable service has the kustomization the job applies.
        for (String module : filters(IMAGES).keySet()) {
            if (!module.equals("shared") && !module.equals("provider-sandbox")) {
                assertThat(K8s.DIR.resolve(module + "/kustomization.yaml")).as(module).exists();
            }
        }
    }

    private static final Map<String, Object> IMAGES = Repo.yamlMap(".github/workflows/images.yml");

    private static Map<String, Object> pushStep() {
        List<Map<String, Object>> steps = Repo.get(IMAGES, "jobs", "image", "steps");
        return steps.stream().filter(step -> String.valueOf(step.get("uses")).startsWith("docker/build-push-action"))
                .findFirst().orElseThrow();
    }

    private static List<String> pushedTags() {
        return Repo.<String>get(pushStep(), "with", "tags").lines().map(String::strip).filter(l -> !l.isEmpty())
                .toList();
    }

    /** The repository name (no tag) the images workflow pushes for a service, for a repository owner. */
    static String pushedImage(String service, String owner) {
        String tag = pushedTags().getFirst();
        return tag.substring(0, tag.lastIndexOf(':')).replace("${{ github.repository_owner }}", owner)
                .replace("${{ matrix.module }}", service);
    }

    private static Map<String, Object> filters(Map<String, Object> workflow) {
        List<Map<String, Object>> steps = Repo.get(workflow, "jobs", "changes", "steps");
        Map<String, Object> filterStep = steps.stream()
                .filter(s -> String.valueOf(s.get("uses")).startsWith("dorny/paths-filter")).findFirst().orElseThrow();
        return (Map<String, Object>) Repo.yaml().load(Repo.<String>get(filterStep, "with", "filters"));
    }
}
