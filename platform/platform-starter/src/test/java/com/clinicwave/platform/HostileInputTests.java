package com.clinicwave.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Hostile requests against a real Tomcat on a random port. Those Tomcat rejects before Spring's dispatcher are sent
 * as raw bytes over a socket (no HTTP client would send them); every answer must be an RFC 9457 problem with a
 * stable code, never Tomcat's HTML page, never an echo of the input, never a server or framework name, never a 5xx.
 */
@SpringBootTest(classes = PlatformTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.sql.init.mode=always", "clinicwave.web.max-request-body-size=64KB"})
class HostileInputTests {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    static Stream<Arguments> rejectedBeforeTheDispatcher() {
        String big = "a".repeat(20_000);
        return Stream.of(
                Arguments.of("invalid percent-encoding", "GET /things/%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("broken percent-encoding", "GET /things/%zz HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("script in the request target", "GET /things/<script>alert(1)</script> HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("encoded slash", "GET /things/a%2Fb HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("encoded backslash", "GET /things/a%5C..%5Cb HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("encoded NUL", "GET /things/a%00b HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("traversal above the root", "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("encoded traversal", "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("raw NUL in the path", "GET /things/a\u0000b HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("space inside the target", "GET /things/a b c HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("raw non-ASCII in the path", "GET /things/\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("oversized header", "GET /things/x HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n"),
                Arguments.of("many headers", "GET /things/x HTTP/1.1\r\nHost: x\r\n"
                        + "X-H: 1234567890123456789012345678901234567890\r\n".repeat(2000) + "\r\n"),
                Arguments.of("overlong request line", "GET /things/" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("bare CR in a header", "GET /things/x HTTP/1.1\r\nHost: x\r\nX-A: a\rX-B: b\r\n\r\n"),
                Arguments.of("header without a colon", "GET /things/x HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"),
                Arguments.of("header name with a space", "GET /things/x HTTP/1.1\r\nHost: x\r\nX Bad: 1\r\n\r\n"),
                Arguments.of("missing Host", "GET /things/x HTTP/1.1\r\n\r\n"),
                Arguments.of("two Hosts", "GET /things/x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                Arguments.of("malformed absolute URI", "GET http://[::1/things HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("unknown protocol", "GET /things/x HTTP/9.9\r\nHost: x\r\n\r\n"),
                Arguments.of("invalid Content-Length", "POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"),
                Arguments.of("two Content-Lengths", "POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"),
                Arguments.of("bad chunk size", "POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"),
                Arguments.of("path parameter", "GET /things;jsessionid=abc/x HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("invalid query encoding", "GET /patients/p1/claims?a=%zz&b=%ff HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("NUL in a query parameter", "GET /patients/p1/claims?q=a%00b HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("NUL in a form parameter", "POST /patients/p1/claims HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n\r\nq=a%00bcd"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedBeforeTheDispatcher")
    void malformedRequestsGetAProblemNotTomcatsPage(String name, String request) throws Exception {
        RawHttp.Response response = RawHttp.send(port, request.getBytes(StandardCharsets.ISO_8859_1));
        assertProblem(response.status(), response.contentType(), response.body());
        assertThat(response.status()).as(name).isBetween(400, 499);
        assertThat(response.headers().get("server")).isNull();
    }

    @Test
    void aScriptInAnUnknownPathIsNeitherEchoedNorHtml() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/nothing/%3Cscript%3Ealert(1)%3C%2Fscript%3E"))
                .header("Accept", "text/html").GET());
        assertProblem(response.statusCode(), contentType(response), response.body());
        assertThat(response.body()).doesNotContain("script").doesNotContain("alert");
    }

    @Test
    void aNulInAJsonStringIsABadRequestAndNeverReachesTheDatabase() throws Exception {
        HttpResponse<String> response = send(json("/notes", "{\"text\":\"demo\\u0000' or 1=1 --\"}"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertProblem(response.statusCode(), contentType(response), response.body());
        assertThat(response.body()).contains("\"code\":\"MALFORMED_REQUEST\"");
        assertThat(send(HttpRequest.newBuilder(uri("/notes/count")).GET()).body()).isEqualTo("0");
    }

    @Test
    void aNulThatReachesPostgresqlIsABadRequestNotAServerError() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/notes/raw"))
                .header("Content-Type", "text/plain; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("demo\u0000x")));
        assertThat(response.statusCode()).isEqualTo(400);
        assertProblem(response.statusCode(), contentType(response), response.body());
        assertThat(response.body()).contains("\"code\":\"VALIDATION_FAILED\"");
    }

    @Test
    void invalidUtf8InAJsonBodyIsMalformed() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"text\":\"".getBytes(StandardCharsets.UTF_8));
        body.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28});
        body.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/notes"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        assertThat(response.statusCode()).isEqualTo(400);
        assertProblem(response.statusCode(), contentType(response), response.body());
    }

    @Test
    void aRawNulByteInAJsonBodyIsMalformed() throws Exception {
        HttpResponse<String> response = send(json("/notes", "{\"text\":\"a\u0000b\"}"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertProblem(response.statusCode(), contentType(response), response.body());
    }

    @Test
    void deeplyNestedJsonIsMalformed() throws Exception {
        HttpResponse<String> response = send(json("/notes", "{\"text\":" + "[".repeat(5000) + "]".repeat(5000) + "}"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertProblem(response.statusCode(), contentType(response), response.body());
    }

    @Test
    void aBodyOverTheLimitIsTooLarge() throws Exception {
        HttpResponse<String> response = send(json("/notes", "{\"text\":\"" + "a".repeat(100_000) + "\"}"));
        assertThat(response.statusCode()).isEqualTo(413);
        assertProblem(response.statusCode(), contentType(response), response.body());
        assertThat(response.body()).contains("\"code\":\"PAYLOAD_TOO_LARGE\"");
    }

    @Test
    void aChunkedBodyOverTheLimitIsTooLarge() throws Exception {
        String chunk = "a".repeat(30_000);
        StringBuilder request = new StringBuilder("POST /notes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        request.append("9\r\n{\"text\":\"\r\n");
        for (int i = 0; i < 4; i++) {
            request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        request.append("2\r\n\"}\r\n0\r\n\r\n");
        RawHttp.Response response = RawHttp.send(port, request.toString());
        assertThat(response.status()).isEqualTo(413);
        assertProblem(response.status(), response.contentType(), response.body());
    }

    @Test
    void wrongTypesEmptyBodiesAndInjectionStringsAreClientErrors() throws Exception {
        for (String body : new String[] {"", "null", "[]", "\"text\"", "42", "{\"text\":{}}", "{\"text\":[1,2]}",
            "{\"text\":\"\"}", "{'text':'x'}", "{\"text\":\"x\"", "\uFEFF{\"text\":1e999999}"}) {
            HttpResponse<String> response = send(json("/orders", body));
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertProblem(response.statusCode(), contentType(response), response.body());
        }
        HttpResponse<String> injected = send(json("/notes", "{\"text\":\"'; drop table note; --<img src=x onerror=alert(1)>\"}"));
        assertThat(injected.statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(uri("/notes/count")).GET()).statusCode()).isEqualTo(200);
    }

    @Test
    void wrongMethodAndMediaTypeAreProblems() throws Exception {
        HttpResponse<String> method = send(HttpRequest.newBuilder(uri("/orders")).DELETE());
        assertThat(method.statusCode()).isEqualTo(405);
        assertProblem(method.statusCode(), contentType(method), method.body());
        HttpResponse<String> media = send(HttpRequest.newBuilder(uri("/orders")).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString("<order/>")));
        assertThat(media.statusCode()).isEqualTo(415);
        assertProblem(media.statusCode(), contentType(media), media.body());
        RawHttp.Response unknown = RawHttp.send(port, "BREW /orders HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertProblem(unknown.status(), unknown.contentType(), unknown.body());
    }

    static void assertProblem(int status, String contentType, String body) {
        assertThat(status).as(body).isBetween(400, 499);
        assertThat(contentType).as(body).startsWith("application/problem+json");
        assertThat(body).contains("\"code\":\"");
        assertThat(body.toLowerCase()).doesNotContain("<html").doesNotContain("<script").doesNotContain("tomcat")
                .doesNotContain("spring").doesNotContain("exception").doesNotContain("at org.")
                .doesNotContain("jackson");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder json(String path, String body) {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("");
    }
}
