package com.clinicwave.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The patient's journey through companion-web in Debian's Chromium, driven by playwright-core
 * ({@code src/test/e2e/journey.mjs}) against the suite {@link RunningSuite} started (which serves the app on :5173):
 * sign up, sign in (auth-service's page, code + PKCE), connect trellis on the sandbox's consent page, claims without a
 * manual step, filter, manual sync, a denied consent that creates nothing, connect athenahealth, the account view,
 * an API key created, used and revoked, sign out and the old token refused — at 1280 px and at 390 px, axe-core on
 * every screen. Screenshots: {@code system-tests/target/screenshots/}. Without Chromium or Node.js the test is
 * skipped with one line saying how to get them.
 */
class CompanionWebSystemTests extends SuiteSystemTest {

    private static final String APP = System.getenv().getOrDefault("CLINICWAVE_APP_URL", "http://localhost:5173");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));
    private static final Path E2E = RunningSuite.ROOT.resolve("system-tests/src/test/e2e");
    private static final Path SCREENSHOTS = RunningSuite.ROOT.resolve("system-tests/target/screenshots");

    @Test
    void patientJourneyInChromiumAtDesktopAndPhoneSizes() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            String line = "!!! SKIPPED CompanionWebSystemTests: no Chromium at " + CHROMIUM
                    + " — install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH";
            System.out.println(line);
            Assumptions.abort(line);
        }
        if (!commandWorks(List.of("node", "--version")) || !commandWorks(List.of("npm", "--version"))) {
            String line = "!!! SKIPPED CompanionWebSystemTests: Node.js 20+ and npm are not on PATH — install them"
                    + " (apt-get install nodejs npm)";
            System.out.println(line);
            Assumptions.abort(line);
        }
        HttpResponse<String> app = get(APP + "/");
        assertThat(app.statusCode()).as("bin/platform up serves companion-web at %s", APP).isEqualTo(200);
        assertThat(app.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("script-src 'self'").contains("connect-src 'self' " + GATEWAY));

        if (!Files.isDirectory(E2E.resolve("node_modules/playwright-core"))) {
            assertThat(run(List.of("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"), "npm-ci", 10))
                    .as("npm ci in %s", E2E).isZero();
        }
        Files.createDirectories(SCREENSHOTS);
        int exit = run(List.of("node", "journey.mjs"), "journey", 20);
        assertThat(exit).as("the browser journey (output above; screenshots in %s)", SCREENSHOTS).isZero();
        try (var shots = Files.list(SCREENSHOTS)) {
            assertThat(shots.filter(p -> p.toString().endsWith(".png") && !p.toString().contains("failure")).count())
                    .as("a screenshot of every screen").isGreaterThanOrEqualTo(2 * 14);
        }
    }

    private static int run(List<String> command, String name, int minutes) throws IOException, InterruptedException {
        Path log = Files.createDirectories(RunningSuite.RUN_DIR).resolve("e2e-" + name + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(E2E.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1", "APP_URL", APP,
                "API_URL", GATEWAY, "CHROMIUM_PATH", CHROMIUM.toString(), "SCREENSHOT_DIR", SCREENSHOTS.toString(),
                "NO_COLOR", "1"));
        Process process = builder.start();
        boolean finished = process.waitFor(minutes, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        System.out.println(Files.readString(log));
        return finished ? process.exitValue() : -1;
    }

    private static boolean commandWorks(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
