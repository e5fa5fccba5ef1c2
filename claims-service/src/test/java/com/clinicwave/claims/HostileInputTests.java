package com.clinicwave.claims;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Hostile input on every endpoint of claims-service: path ids (traversal, overlong, unicode, non-UUID), query
 * parameters (wrong types, huge, injection), bodies (wrong types, missing fields, deep nesting, huge, NUL, invalid
 * UTF-8) — each answer a 4xx {@code application/problem+json} with a code, never a 5xx, HTML or stack trace.
 */
class HostileInputTests extends ClaimsIntegrationTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final List<String> HOSTILE_IDS = List.of("%2e%2e", "x".repeat(3000),
            "%C3%BC%C3%B1%C3%AF%C3%A7%C3%B8d%C3%A9", "not-a-uuid", "1%20OR%201%3D1", "%3Cscript%3Ealert(1)%3C",
            "00000000-0000-0000-0000-00000000000g", "%E2%80%AE", "-1", "%F0%9F%92%A9", "1-1-1-1-1",
            UUID.randomUUID().toString());

    private static final List<String> HOSTILE_QUERIES = List.of("page=-1", "page=abc", "page=99999999999999999999",
            "size=0", "size=100000", "from=2024-13-45", "from=2025-01-01&to=2024-01-01", "status=%27%20OR%201%3D1",
            "claim_type=" + "x".repeat(5000), "status=%00", "to=%F0%9F%92%A9", "page=1&page=2");

    private static final List<byte[]> HOSTILE_BODIES = List.of(
            bytes(""), bytes("null"), bytes("[]"), bytes("\"verified\""), bytes("42"), bytes("{"), bytes("not json"),
            bytes("{\"verification_status\":{\"$ne\":1}}"), bytes("{\"verification_status\":[\"verified\"]}"),
            bytes("{\"verification_status\":\"verified\\u0000\"}"), bytes("{}"),
            bytes("[".repeat(5000) + "]".repeat(5000)),
            bytes("{\"a\":".repeat(2000) + "1" + "}".repeat(2000)),
            bytes("{\"verification_status\":\"" + "v".repeat(1_000_000) + "\"}"),
            new byte[] {'{', '"', 'v', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'});

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private HttpResponse<String> raw(String method, String path, String token, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path, e);
        }
    }

    private static void assertProblem(List<String> failures, String what, HttpResponse<String> r) {
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (r.statusCode() < 400 || r.statusCode() >= 500 || !type.contains("application/problem+json")
                || !r.body().contains("\"code\"") || r.body().contains("Exception") || r.body().contains("<html")
                || r.body().contains("at com.") || r.body().contains("at org.") || r.body().contains("<script>")) {
            failures.add(what + " -> " + r.statusCode() + " " + type + " "
                    + r.body().substring(0, Math.min(200, r.body().length())));
        }
    }

    @Test
    void hostilePathIdsGetAProblemNeverA5xx() {
        String user = userToken(user());
        List<String> failures = new ArrayList<>();
        for (String id : HOSTILE_IDS) {
            assertProblem(failures, "claims " + id, raw("GET", "/api/connections/" + id + "/claims", user, null));
            assertProblem(failures, "sync " + id, raw("POST", "/api/connections/" + id + "/sync", user, null));
            assertProblem(failures, "run " + id, raw("GET", "/api/syncs/" + id, user, null));
            assertProblem(failures, "verify " + id, raw("PATCH", "/api/claims/" + id + "/verification", user,
                    bytes("{\"verification_status\":\"verified\"}")));
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void hostileQueriesAndBodiesGetAProblemNeverA5xx() {
        String owner = user();
        UUID connection = fhirConnection(owner);
        String user = userToken(owner);
        List<String> failures = new ArrayList<>();
        for (String query : HOSTILE_QUERIES) {
            assertProblem(failures, "claims ?" + query.substring(0, Math.min(40, query.length())),
                    raw("GET", "/api/connections/" + connection + "/claims?" + query, user, null));
        }
        int i = 0;
        for (byte[] body : HOSTILE_BODIES) {
            assertProblem(failures, "verify body #" + i++, raw("PATCH", "/api/claims/" + UUID.randomUUID()
                    + "/verification", user, body));
        }
        assertThat(failures).isEmpty();
    }
}
