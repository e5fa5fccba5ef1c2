package com.clinicwave.platform.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import com.clinicwave.testsupport.LoopbackHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** provider-connection-service's internal API as the starter calls it, against a real HTTP server. */
class ConnectionsApiTests {

    private final LoopbackHttpServer server = new LoopbackHttpServer(r -> new LoopbackHttpServer.Answer(404, "{}"));
    private final AtomicInteger issued = new AtomicInteger();
    private final ConnectionsApi api;

    ConnectionsApiTests() throws Exception {
        ServiceClientProperties properties = new ServiceClientProperties(server.uri("/oauth2/token"), "demo-service",
                "s3cr3t-value", null, Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(5));
        RestClient.Builder builder = RestClient.builder().requestFactory(ServiceHttpClients.requestFactory(
                Duration.ofSeconds(2), Duration.ofSeconds(5)));
        ServiceTokens tokens = new ServiceTokens(builder.build(), properties, Clock.systemUTC());
        api = new ConnectionsApi(builder, server.uri("").toString(), tokens);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private LoopbackHttpServer.Answer tokenEndpoint() {
        return new LoopbackHttpServer.Answer(200,
                "{\"access_token\":\"token-" + issued.incrementAndGet() + "\",\"expires_in\":300}");
    }

    @Test
    void aRefusedTokenIsReplacedOnceAndTheCallRetried() {
        server.answer(r -> r.path().startsWith("/oauth2/token") ? tokenEndpoint()
                : "Bearer token-1".equals(r.authorization()) ? new LoopbackHttpServer.Answer(401, "{}")
                        : new LoopbackHttpServer.Answer(200, "{\"access_token\":\"provider\",\"status\":\"ACTIVE\"}"));
        JsonNode body = api.accessToken("c-1", true, JsonNode.class);
        assertThat(body.path("access_token").asString()).isEqualTo("provider");
        assertThat(server.requests()).extracting(LoopbackHttpServer.Request::path).containsExactly("/oauth2/token",
                "/internal/connections/c-1/access-token?force_refresh=true", "/oauth2/token",
                "/internal/connections/c-1/access-token?force_refresh=true");
    }

    @Test
    void failuresCarryTheStatusOrZeroWhenThereWasNoAnswer() {
        server.answer(r -> r.path().startsWith("/oauth2/token") ? tokenEndpoint()
                : r.path().endsWith("/gone") ? new LoopbackHttpServer.Answer(404, "{}")
                        : new LoopbackHttpServer.Answer(409, "{}"));
        assertThatThrownBy(() -> api.connection("gone", JsonNode.class))
                .isInstanceOfSatisfying(ConnectionsApi.CallFailed.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> api.accessToken("c-2", false, JsonNode.class))
                .isInstanceOfSatisfying(ConnectionsApi.CallFailed.class, e -> assertThat(e.status()).isEqualTo(409));
        server.close();
        assertThatThrownBy(() -> api.connection("c-3", JsonNode.class))
                .isInstanceOfSatisfying(ConnectionsApi.CallFailed.class, e -> assertThat(e.status()).isZero());
    }
}
