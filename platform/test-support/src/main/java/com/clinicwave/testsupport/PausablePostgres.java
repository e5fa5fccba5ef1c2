package com.clinicwave.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of its own (embedded, real binaries) that a test can freeze and thaw, to play a database that
 * stops answering: {@link #pause()} sends SIGSTOP to the postmaster and every backend, {@link #resume()} SIGCONT.
 * TCP connections still open and queue (the kernel accepts them), but nothing answers — like a stalled host, not a
 * refused port. Separate from {@link TestPostgres}'s shared server, which other contexts of the JVM use. Always
 * {@code resume()} in a {@code finally}, and {@link #close()} at the end.
 */
public final class PausablePostgres implements AutoCloseable {

    private final EmbeddedPostgres server;
    private final Path dataDirectory;
    private final List<Long> paused = new ArrayList<>();

    private PausablePostgres(EmbeddedPostgres server, Path dataDirectory) {
        this.server = server;
        this.dataDirectory = dataDirectory;
    }

    public static PausablePostgres start() {
        try {
            Path data = Files.createTempDirectory("clinicwave-pausable-pg");
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(true)
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
            return new PausablePostgres(pg, data);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start a pausable embedded PostgreSQL", e);
        }
    }

    public String jdbcUrl() {
        return server.getJdbcUrl("postgres", "postgres");
    }

    public String username() {
        return "postgres";
    }

    public String password() {
        return "postgres";
    }

    /** The postmaster's process id (first line of {@code postmaster.pid}). */
    public long pid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Freezes the server: the postmaster and all its backends stop (SIGSTOP). */
    public synchronized void pause() {
        ProcessHandle postmaster = ProcessHandle.of(pid()).orElseThrow();
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster.pid());
        postmaster.descendants().forEach(p -> pids.add(p.pid()));
        signal("-STOP", pids);
        paused.addAll(pids);
    }

    /** Thaws everything {@link #pause()} froze (SIGCONT). Safe to call when nothing is paused. */
    public synchronized void resume() {
        if (!paused.isEmpty()) {
            signal("-CONT", paused);
            paused.clear();
        }
    }

    private static void signal(String signal, List<Long> pids) {
        List<String> command = new ArrayList<>(List.of("kill", signal));
        pids.forEach(p -> command.add(String.valueOf(p)));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: "
                        + new String(kill.getInputStream().readAllBytes()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        resume();
        try {
            server.close();
        } catch (IOException ignored) {
            // the data directory is cleaned by the server's own hook
        }
    }
}
