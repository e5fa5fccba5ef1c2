package com.clinicwave.platform.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clinicwave.platform.web.ProblemCodes;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import com.clinicwave.testsupport.LoopbackHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.RestClient;

/** The service token: client_credentials at a real HTTP token endpoint, cached, one fetch at a time. */
class ServiceTokensTests {

    private final LoopbackHttpServer server = new LoopbackHttpServer(r -> new LoopbackHttpServer.Answer(404, "{}"));
    private final AtomicInteger issued = new AtomicInteger();
    private Instant now = Instant.parse("2026-12-04T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    ServiceTokensTests() throws Exception {
        server.answer(r -> new LoopbackHttpServer.Answer(200,
                "{\"access_token\":\"token-" + issued.incrementAndGet() + "\",\"expires_in\":300}"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ServiceTokens tokens(String secret) {
        ServiceClientProperties properties = new ServiceClientProperties(server.uri("/oauth2/token"), "demo-service",
                secret, "connections:token", Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(5));
        return new ServiceTokens(RestClient.builder().requestFactory(ServiceHttpClients.requestFactory(
                properties.connectTimeout(), properties.readTimeout())).build(), properties, clock);
    }

    @Test
    void fetchesWithClientCredentialsAndReusesTheTokenUntilShortlyBeforeItExpires() {
        ServiceTokens tokens = tokens("s3cr3t-value");
        assertThat(tokens.current()).isEqualTo("token-1");
        assertThat(tokens.current()).isEqualTo("token-1");
        LoopbackHttpServer.Request request = server.requests().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.authorization()).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("demo-service:s3cr3t-value".getBytes()));
        assertThat(request.body()).contains("grant_type=client_credentials").contains("scope=connections%3Atoken");

        now = now.plusSeconds(269);
        assertThat(tokens.current()).isEqualTo("token-1");
        now = now.plusSeconds(1); // 300 s lifetime - 30 s margin
        assertThat(tokens.current()).isEqualTo("token-2");
        tokens.invalidate();
        assertThat(tokens.current()).isEqualTo("token-3");
        assertThat(server.count("/oauth2/token")).isEqualTo(3);
    }

    @Test
    void concurrentCallersShareOneFetch() throws Exception {
        server.answer(r -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new LoopbackHttpServer.Answer(200, "{\"access_token\":\"token-" + issued.incrementAndGet()
                    + "\",\"expires_in\":300}");
        });
        ServiceTokens tokens = tokens("s3cr3t-value");
        List<Callable<String>> callers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            callers.add(tokens::current);
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<String> result : pool.invokeAll(callers)) {
                assertThat(result.get()).isEqualTo("token-1");
            }
        }
        assertThat(server.count("/oauth2/token")).isEqualTo(1);
    }

    @Test
    void noTokenIsA503ProblemWithoutTheSecret() {
        server.answer(r -> new LoopbackHttpServer.Answer(500, "{}"));
        assertThatThrownBy(() -> tokens("s3cr3t-value").current())
                .isInstanceOfSatisfying(ServiceTokens.UnavailableException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(e.code()).isEqualTo(ProblemCodes.UPSTREAM_UNAVAILABLE);
                    assertThat(e.getMessage()).doesNotContain("s3cr3t");
                });
        server.answer(r -> new LoopbackHttpServer.Answer(200, "{\"token_type\":\"Bearer\"}"));
        assertThatThrownBy(() -> tokens("s3cr3t-value").current())
                .isInstanceOf(ServiceTokens.UnavailableException.class);
        assertThatThrownBy(() -> tokens("").current()).isInstanceOf(ServiceTokens.UnavailableException.class);
    }

    @Test
    void theBeanExistsWhenTheServiceHasAClient() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ServiceClientAutoConfiguration.class));
        runner.run(context -> assertThat(context).doesNotHaveBean(ServiceTokens.class));
        runner.withPropertyValues("clinicwave.service-client.client-id=demo-service",
                "clinicwave.service-client.client-secret=s3cr3t-value",
                "clinicwave.service-client.token-url=" + server.uri("/oauth2/token"),
                "clinicwave.service-client.refresh-margin=10s")
                .run(context -> {
                    assertThat(context).hasSingleBean(ServiceTokens.class);
                    assertThat(context.getBean(ServiceClientProperties.class).tokenUrl())
                            .isEqualTo(URI.create(server.uri("/oauth2/token").toString()));
                    assertThat(context.getBean(ServiceTokens.class).current()).isEqualTo("token-1");
                });
    }
}
