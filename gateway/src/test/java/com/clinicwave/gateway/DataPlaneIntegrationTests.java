package com.clinicwave.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.clinicwave.gateway.ratelimit.RateLimiter;
import com.clinicwave.testsupport.TestJwts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The public listener at the HTTP level, with raw sockets where a client library would hide what is tested:
 * pipelining, chunked bodies past the limit, oversized headers, idempotent retries, rate limits counted in Redis.
 */
class DataPlaneIntegrationTests extends GatewayTestSupport {

    @Autowired
    WebTestClient client;

    @Value("${local.server.port}")
    int port;

    @Test
    void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws IOException {
        String token = userToken();
        // Both requests keep the connection open: Reactor Netty closes a pipelined connection after the answer in
        // progress once it has read a later "Connection: close" request, so that request would go unanswered.
        String request = "GET /api/connections HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\nX-Request-Id: pipelined-first\r\n\r\n"
                + "GET /api/providers HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: pipelined-second\r\n\r\n";
        String answer = exchangeUntil(request.getBytes(StandardCharsets.UTF_8),
                text -> text.split("HTTP/1.1 200", -1).length == 3 && text.endsWith("}"));
        assertThat(answer.split("HTTP/1.1 200", -1)).hasSize(3);
        assertThat(answer.indexOf("pipelined-first")).isLessThan(answer.indexOf("pipelined-second"));
    }

    @Test
    void aChunkedBodyPastTheLimitIsRefusedWith413() throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST /api/connections HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + userToken()
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < 40; i++) { // 2.5 MB against a 2 MB limit
            request.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.UTF_8));
            request.writeBytes(chunk);
            request.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        request.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        String answer = exchange(request.toByteArray());
        assertThat(answer).startsWith("HTTP/1.1 413").contains("application/problem+json")
                .contains("\"code\":\"PAYLOAD_TOO_LARGE\"");
    }

    @Test
    void oversizedHeadersAreAProblemNotAConnectionReset() throws IOException {
        String request = "GET /api/connections HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "a".repeat(20_000)
                + "\r\n\r\n";
        String answer = exchange(request.getBytes(StandardCharsets.UTF_8));
        assertThat(answer).startsWith("HTTP/1.1 431").contains("application/problem+json")
                .contains("\"code\":\"HEADERS_TOO_LARGE\"");
    }

    @Test
    void anIdempotentCallIsRetriedAfterA502ButAPostIsNot() {
        AtomicInteger calls = new AtomicInteger();
        SERVICES.on("/api/connections/flaky", exchange -> calls.incrementAndGet() == 1
                ? StubServer.Answer.json(502, "{}") : StubServer.Answer.json(200, "{\"ok\":true}"));
        client.get().uri("/api/connections/flaky").headers(h -> h.setBearerAuth(userToken())).exchange()
                .expectStatus().isOk();
        assertThat(calls).hasValue(2);

        calls.set(0);
        client.post().uri("/api/connections/flaky").headers(h -> h.setBearerAuth(userToken())).bodyValue("{}")
                .exchange()
                .expectStatus().isEqualTo(502);
        assertThat(calls).hasValue(1);
    }

    @Test
    void headRequestsAndLargeStreamedResponsesAreRelayed() {
        String big = "x".repeat(3 * 1024 * 1024);
        SERVICES.on("/api/connections/big", exchange -> new StubServer.Answer(200, "text/plain", big));
        client.head().uri("/api/connections/big").headers(h -> h.setBearerAuth(userToken())).exchange()
                .expectStatus().isOk();
        client.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024)).build()
                .get().uri("/api/connections/big").headers(h -> h.setBearerAuth(userToken())).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).hasSize(big.length()));
    }

    @Test
    void aCallerPastTheAuthenticatedLimitGets429AndTheCountsReachRedis(@Autowired RateLimiter limiter,
            @Autowired StringRedisTemplate redis) {
        String subject = UUID.randomUUID().toString();
        String token = TestJwts.user(subject, UUID.randomUUID().toString(), List.of("connections:read"),
                List.of("patient"));
        // The test limit is 100000 per minute: this caller has used it up at this replica.
        for (int i = 0; i < 100_000; i++) {
            limiter.authenticated("sub:" + subject);
        }
        client.get().uri("/api/connections").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().exists("Retry-After")
                .expectHeader().valueEquals("RateLimit-Remaining", "0")
                .expectBody().jsonPath("$.code").isEqualTo("RATE_LIMITED");
        // Other replicas learn the count from Redis within the sync interval.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            var keys = redis.keys("clinicwave:gateway:rl:authenticated:sub:" + subject + ":*");
            assertThat(keys).hasSize(1);
            assertThat(Long.parseLong(redis.opsForValue().get(keys.iterator().next()))).isGreaterThan(100_000);
        });
        // Another caller is not affected.
        client.get().uri("/api/connections").headers(h -> h.setBearerAuth(userToken())).exchange()
                .expectStatus().isOk();
    }

    @Test
    void theCallersTraceContinuesThroughTheGatewayHopToTheService() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e" + Integer.toHexString(0x1000 + (int) (Math.random() * 0xefff));
        String callerSpan = "00f067aa0ba902b7";
        client.get().uri("/api/connections").headers(h -> {
            h.setBearerAuth(userToken());
            h.set("traceparent", "00-" + traceId + "-" + callerSpan + "-01");
        }).exchange().expectStatus().isOk();
        String forwarded = SERVICES.last().headers().getFirst("traceparent");
        assertThat(forwarded).startsWith("00-" + traceId + "-").endsWith("-01");
        String gatewaySpan = forwarded.substring(36, 52);
        assertThat(gatewaySpan).isNotEqualTo(callerSpan);
        // The gateway hop is reported by Spring Cloud Gateway's observations as a server span, child of the caller's,
        // and a client span for the call to the service, child of the server span and parent of the service's.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(SPANS).anySatisfy(client -> {
            assertThat(client.traceId()).isEqualTo(traceId);
            assertThat(client.id()).isEqualTo(gatewaySpan);
            assertThat(client.kind()).isEqualTo(brave.Span.Kind.CLIENT);
            assertThat(client.tag("http.status_code")).isEqualTo("200");
            assertThat(client.tag("spring.cloud.gateway.route.id")).isEqualTo("provider-connection-service");
            assertThat(SPANS).anySatisfy(server -> {
                assertThat(server.id()).isEqualTo(client.parentId());
                assertThat(server.parentId()).isEqualTo(callerSpan);
                assertThat(server.kind()).isEqualTo(brave.Span.Kind.SERVER);
                assertThat(server.tag("status")).isEqualTo("200");
            });
        }));
    }

    /** Sends the request and reads answers until {@code done} holds (or 10 s pass), without waiting for EOF. */
    private String exchangeUntil(byte[] request, java.util.function.Predicate<String> done) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            try {
                while (!done.test(answer.toString(StandardCharsets.UTF_8)) && (n = in.read(buffer)) >= 0) {
                    answer.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // Timed out: the assertions tell what was missing.
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private String exchange(byte[] request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(request);
                    out.flush();
                } catch (IOException e) {
                    // The gateway may answer and close before the whole request is written.
                }
            });
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            try {
                while ((n = in.read(buffer)) >= 0) {
                    answer.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // Connection closed after the answer.
            }
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
