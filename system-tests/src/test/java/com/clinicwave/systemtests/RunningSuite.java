package com.clinicwave.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the whole suite once per test JVM exactly as a user does ({@code bin/platform up}, with the jars the
 * reactor just built) and stops it ({@code bin/platform down}) when every system test has run. Set
 * {@code CLINICWAVE_SUITE_RUNNING=true} to test a suite you started yourself instead.
 */
public final class RunningSuite implements BeforeAllCallback {

    static final Path ROOT = Path.of(System.getProperty("clinicwave.root", "..")).toAbsolutePath().normalize();
    static final Path RUN_DIR = Path.of(System.getenv().getOrDefault("CLINICWAVE_RUN_DIR",
            ROOT.resolve(".run").toString()));

    @Override
    public void beforeAll(ExtensionContext context) {
        Stopper suite = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(RunningSuite.class.getName(), key -> start(), Stopper.class);
        if (suite.failure != null) {
            // One failed start fails every system test class at once, instead of retrying for each of them.
            throw new IllegalStateException("The suite did not start", suite.failure);
        }
    }

    private static Stopper start() {
        if (Boolean.parseBoolean(System.getenv("CLINICWAVE_SUITE_RUNNING"))) {
            return new Stopper(false, null);
        }
        try {
            run(List.of("bin/platform", "up", "--no-build"), Duration.ofMinutes(12));
            return new Stopper(true, null);
        } catch (RuntimeException e) {
            // Leave nothing half-started behind (bin/platform cleans up itself, except when it was killed).
            run(List.of("bin/platform", "down"), Duration.ofMinutes(2));
            return new Stopper(false, e);
        }
    }

    static void run(List<String> command, Duration timeout) {
        try {
            Path log = Files.createDirectories(RUN_DIR).resolve("system-tests-" + command.get(1) + ".out");
            Process process = new ProcessBuilder(command).directory(ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " timed out; see " + log);
            }
            String output = Files.readString(log);
            System.out.println(output);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue()
                        + "):\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the suite when the JUnit root context closes (after the last test class). */
    static final class Stopper implements AutoCloseable {
        private final boolean owned;
        private final RuntimeException failure;

        Stopper(boolean owned, RuntimeException failure) {
            this.owned = owned;
            this.failure = failure;
        }

        @Override
        public void close() {
            if (owned) {
                run(List.of("bin/platform", "down"), Duration.ofMinutes(2));
            }
        }
    }
}
