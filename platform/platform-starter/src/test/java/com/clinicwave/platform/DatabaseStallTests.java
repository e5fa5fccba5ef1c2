package com.clinicwave.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.clinicwave.testsupport.PausablePostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 13 item 9: a PostgreSQL that stops answering (SIGSTOP on the server and its backends) is a fast 503
 * {@code DATABASE_UNAVAILABLE} problem with {@code Retry-After}, not a hang — with the starter's default timeouts,
 * nothing configured here — and the service recovers by itself once the server answers again (SIGCONT).
 * The client gives each request 5 s: an answer that does not come in time fails the test as a timeout.
 */
@SpringBootTest(classes = PlatformTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.sql.init.mode=always", "clinicwave.test.postgres.enabled=false",
            "spring.datasource.hikari.maximum-pool-size=4"})
class DatabaseStallTests {

    private static final PausablePostgres POSTGRES = PausablePostgres.start();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", POSTGRES::jdbcUrl);
        registry.add("spring.datasource.username", POSTGRES::username);
        registry.add("spring.datasource.password", POSTGRES::password);
    }

    @AfterAll
    static void stop() {
        POSTGRES.close();
    }

    @Test
    void aStalledDatabaseIsAFast503AndTheServiceRecovers() throws Exception {
        assertThat(count().statusCode()).isEqualTo(200);
        POSTGRES.pause();
        try {
            // Twice: once through the pool's idle connections (validated, found dead), once through a new one.
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> stalled = count();
                assertThat(stalled.statusCode()).as(stalled.body()).isEqualTo(503);
                assertThat(stalled.headers().firstValue("Content-Type").orElse(""))
                        .startsWith("application/problem+json");
                assertThat(stalled.body()).contains("\"code\":\"DATABASE_UNAVAILABLE\"")
                        .doesNotContain("Hikari").doesNotContain("PSQL").doesNotContain("Exception");
                assertThat(stalled.headers().firstValue("Retry-After")).isPresent();
            }
            HttpResponse<String> write = HTTP.send(HttpRequest.newBuilder(uri("/notes"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"x\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(write.statusCode()).as(write.body()).isEqualTo(503);
        } finally {
            POSTGRES.resume();
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> count().statusCode() == 200);
    }

    private HttpResponse<String> count() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri("/notes/count")).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
