package com.clinicwave.deploytests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The patient web app's production image (deploy/docker/companion-web/): a strict Content-Security-Policy on every
 * answer, an nginx configuration the real nginx accepts, a build context without the rest of the repository, and the
 * same policy in compose and Kubernetes.
 */
class CompanionWebImageTests {

    private static final String DIR = "deploy/docker/companion-web/";

    private static String csp() {
        return Repo.read(DIR + "security-headers.conf").lines()
                .filter(l -> l.startsWith("add_header Content-Security-Policy")).findFirst().orElseThrow();
    }

    @Test
    void contentSecurityPolicyAllowsOnlyThisOriginAndTheApi() {
        String csp = csp();
        assertThat(csp).contains("default-src 'self'", "script-src 'self';", "style-src 'self';",
                "connect-src 'self' ${API_ORIGIN};", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "*", "http:", "https:", "data: ;", "blob:")
                .endsWith("\" always;");
        // The dev/preview server sends the same directives (vite.config.ts), so local runs test the real policy.
        String vite = Repo.read("companion-web/vite.config.ts");
        for (String directive : List.of("default-src 'self'", "script-src 'self'", "style-src 'self'",
                "connect-src 'self' ${apiOrigin}", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'")) {
            assertThat(vite).as("vite.config.ts has " + directive).contains(directive);
        }
    }

    @Test
    void everyLocationServingTheAppSendsTheSecurityHeaders() {
        String conf = Repo.read(DIR + "default.conf.template");
        // nginx drops server-level add_header in a location with its own: each location includes the snippet.
        long locations = conf.lines().filter(l -> l.strip().startsWith("location") && !l.contains("/healthz")).count();
        long includes = conf.lines().filter(l -> l.contains("include /tmp/nginx-snippets/security-headers.conf;")).count();
        assertThat(locations).isEqualTo(includes).isGreaterThanOrEqualTo(2);
        assertThat(conf).contains("server_tokens off;", "try_files $uri /index.html;");
    }

    @Test
    void startRefusesAMissingOrInjectedApiOrigin(@TempDir Path tmp) throws IOException {
        Tools.assumeInstalled("sh", "a POSIX shell");
        Tools.assumeInstalled("envsubst", "apt-get install gettext-base");
        Path script = tmp.resolve("render.sh");
        // The entrypoint script, pointed at temporary paths.
        Files.writeString(script, Repo.read(DIR + "15-security-headers.sh")
                .replace("/etc/nginx/snippets/security-headers.conf.template", Repo.path(DIR + "security-headers.conf").toString())
                .replace("/tmp/nginx-snippets", tmp.resolve("out").toString()));
        for (String bad : List.of("", "localhost:8080", "https://api.example.com; script-src *", "javascript:alert(1)")) {
            Tools.Result result = runWith(tmp, script, bad);
            assertThat(result.exitCode()).as("API_ORIGIN=%s", bad).isNotZero();
        }
        Tools.Result ok = runWith(tmp, script, "https://api.clinicwave.example.com");
        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertThat(Files.readString(tmp.resolve("out/security-headers.conf")))
                .contains("connect-src 'self' https://api.clinicwave.example.com;");
    }

    @Test
    void realNginxAcceptsTheConfiguration(@TempDir Path tmp) throws IOException {
        Tools.assumeInstalled("nginx", "apt-get install nginx");
        Path snippets = Files.createDirectories(tmp.resolve("snippets"));
        Files.writeString(snippets.resolve("security-headers.conf"),
                Repo.read(DIR + "security-headers.conf").replace("${API_ORIGIN}", "https://api.clinicwave.example.com"));
        Path html = Files.createDirectories(tmp.resolve("html"));
        Files.writeString(tmp.resolve("site.conf"), Repo.read(DIR + "default.conf.template")
                .replace("/tmp/nginx-snippets", snippets.toString()).replace("/usr/share/nginx/html", html.toString()));
        Path mime = Path.of("/etc/nginx/mime.types");
        Files.writeString(tmp.resolve("nginx.conf"), """
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events {}
                http {
                  %2$s
                  client_body_temp_path %1$s/body; proxy_temp_path %1$s/proxy; fastcgi_temp_path %1$s/fcgi;
                  uwsgi_temp_path %1$s/uwsgi; scgi_temp_path %1$s/scgi;
                  include %1$s/site.conf;
                }
                """.formatted(tmp, Files.exists(mime) ? "include " + mime + ";" : ""));
        Tools.Result result = Tools.run(tmp, 30, "nginx", "-t", "-p", tmp.toString(), "-c", tmp.resolve("nginx.conf").toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void buildContextHoldsOnlyTheBuiltAppAndItsConfiguration() {
        List<String> ignore = Repo.read(DIR + "Dockerfile.dockerignore").lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(ignore).containsExactly("*", "!companion-web/dist/**", "!deploy/docker/companion-web/**");
        assertThat(Repo.read(DIR + "Dockerfile")).contains("FROM nginxinc/nginx-unprivileged:")
                .contains("COPY companion-web/dist/ /usr/share/nginx/html/");
    }

    @Test
    void composeAndKubernetesRunItReadOnlyWithTheApiOrigin() {
        Map<String, Object> compose = Repo.get(Repo.yamlMap("docker-compose.yml"), "services", "companion-web");
        assertThat(compose.get("read_only")).isEqualTo(true);
        assertThat(Repo.<Map<String, Object>>get(compose, "environment")).containsKey("API_ORIGIN");
        List<Map<String, Object>> docs = Repo.yamlDocuments(Repo.path("deploy/k8s/companion-web/companion-web.yaml"));
        Map<String, Object> deployment = docs.stream().filter(d -> "Deployment".equals(d.get("kind"))).findFirst().orElseThrow();
        List<Map<String, Object>> containers = Repo.get(deployment, "spec", "template", "spec", "containers");
        List<Map<String, Object>> env = Repo.get(containers.getFirst(), "env");
        assertThat(env).anySatisfy(e -> assertThat(e).containsEntry("name", "API_ORIGIN"));
        assertThat(Arrays.asList(Repo.read("deploy/k8s/config.yaml").split("\n")))
                .anySatisfy(l -> assertThat(l).contains("CORS_ALLOWED_ORIGINS: https://app.clinicwave.example.com"));
    }

    private static Tools.Result runWith(Path dir, Path script, String origin) {
        return Tools.run(dir, 30, "env", "API_ORIGIN=" + origin, "sh", script.toString());
    }
}
