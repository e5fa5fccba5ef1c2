package com.clinicwave.connections;

import static org.assertj.core.api.Assertions.assertThat;

import com.clinicwave.testsupport.TestJwts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Hostile input on every endpoint of this service: path ids (traversal, encoded slashes, overlong, unicode,
 * non-UUID, NUL), bodies (wrong types, missing fields, deep nesting, huge, NUL, invalid UTF-8, not JSON) — each
 * answer a 4xx {@code application/problem+json} with a stable code, never a 5xx, HTML or a stack trace.
 */
class HostileInputTests extends IntegrationTestSupport {

    private static final String PLATFORM_ADMIN = TestJwts.user(UUID.randomUUID().toString(), TENANT,
            List.of("providers:platform-admin"), List.of("platform_admin"));
    private static final String SERVICE = TestJwts.service("claims-service", List.of("connections:token"));

    private static final List<String> HOSTILE_IDS = List.of("..%2F..%2Fetc%2Fpasswd", "%2e%2e", "a%2Fb", "a%5Cb",
            "x".repeat(3000), "%C3%BC%C3%B1%C3%AF%C3%A7%C3%B8d%C3%A9", "not-a-uuid", "%00", "1%20OR%201%3D1",
            "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "00000000-0000-0000-0000-00000000000g", "%E2%80%AE", "-1",
            "%F0%9F%92%A9");

    private static final List<byte[]> HOSTILE_BODIES = List.of(
            bytes(""), bytes("null"), bytes("[]"), bytes("\"string\""), bytes("42"), bytes("{"), bytes("not json"),
            bytes("{\"provider_key\":{\"$gt\":\"\"},\"redirect_url\":[1,2]}"),
            bytes("{\"state\":123,\"code\":true,\"connection_id\":\"x\"}"),
            bytes("{\"provider_key\":\"trellis\\u0000\",\"redirect_url\":\"http://127.0.0.1:5173/\\u0000\"}"),
            bytes("[".repeat(5000) + "]".repeat(5000)),
            bytes("{\"a\":" .repeat(2000) + "1" + "}".repeat(2000)),
            bytes("{\"provider_key\":\"" + "k".repeat(1_000_000) + "\"}"),
            new byte[] {'{', '"', 'x', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'},
            bytes("{\"connection_id\":\"../../x\",\"state\":\"' OR 1=1 --\",\"code\":\"<script>\"}"));

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
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path, e);
        }
    }

    /**
     * Encoded slashes, backslashes and NUL in a path are refused by Tomcat before Spring's dispatcher: a 400 here,
     * and problem+json once the platform starter's container-level error handling (issue 13 item 8, platform
     * module) is merged; until then these ids assert only "400, no stack trace, input not echoed".
     */
    private static boolean containerLevel(String what) {
        String lower = what.toLowerCase();
        return lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00");
    }

    private static void assertProblem(List<String> failures, String what, HttpResponse<String> r) {
        if (containerLevel(what)) {
            if (r.statusCode() != 400 || r.body().contains("at com.") || r.body().contains("at org.")
                    || r.body().contains("<script>")) {
                failures.add(what + " -> " + r.statusCode());
            }
            return;
        }
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (r.statusCode() < 400 || r.statusCode() >= 500 || !type.contains("application/problem+json")
                || !r.body().contains("\"code\"") || r.body().contains("Exception") || r.body().contains("<html")
                || r.body().contains("at com.") || r.body().contains("at org.")) {
            failures.add(what + " -> " + r.statusCode() + " " + type + " "
                    + r.body().substring(0, Math.min(200, r.body().length())));
        }
    }

    @Test
    void hostilePathIdsGetAProblemNeverA5xx() {
        String user = userToken(newUser());
        List<String> failures = new ArrayList<>();
        for (String id : HOSTILE_IDS) {
            assertProblem(failures, "DELETE connection " + id, raw("DELETE", "/api/connections/" + id, user, null));
            assertProblem(failures, "oauth-config " + id, raw("GET", "/api/providers/" + id + "/oauth-config", null, null));
            assertProblem(failures, "terms " + id, raw("GET", "/api/providers/" + id + "/terms", null, null));
            assertProblem(failures, "admin get " + id, raw("GET", "/api/admin/providers/" + id, PLATFORM_ADMIN, null));
            assertProblem(failures, "admin put " + id, raw("PUT", "/api/admin/providers/" + id, PLATFORM_ADMIN,
                    bytes("{\"name\":\"x\"}")));
            assertProblem(failures, "admin terms " + id, raw("POST", "/api/admin/providers/" + id + "/terms",
                    PLATFORM_ADMIN, bytes("{\"version\":\"1\",\"terms_text\":\"t\",\"effective_date\":\"2026-01-01\"}")));
            assertProblem(failures, "internal token " + id,
                    raw("GET", "/internal/connections/" + id + "/access-token", SERVICE, null));
            assertProblem(failures, "internal details " + id, raw("GET", "/internal/connections/" + id, SERVICE, null));
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void hostileBodiesGetAProblemNeverA5xx() {
        String user = userToken(newUser());
        List<String> failures = new ArrayList<>();
        int i = 0;
        for (byte[] body : HOSTILE_BODIES) {
            String what = "body #" + i++;
            assertProblem(failures, "initiate " + what, raw("POST", "/api/oauth/initiate", user, body));
            assertProblem(failures, "complete " + what, raw("POST", "/api/oauth/complete", user, body));
            assertProblem(failures, "refresh " + what, raw("POST", "/api/oauth/token/refresh", user, body));
            assertProblem(failures, "admin put " + what, raw("PUT", "/api/admin/providers/acme-hostile",
                    PLATFORM_ADMIN, body));
            assertProblem(failures, "admin terms " + what, raw("POST", "/api/admin/providers/trellis/terms",
                    PLATFORM_ADMIN, body));
        }
        // A well-formed catalog entry with NUL in a text field: PostgreSQL cannot store it, the caller gets a 400.
        assertProblem(failures, "admin put NUL name", raw("PUT", "/api/admin/providers/acme-nul", PLATFORM_ADMIN,
                bytes("""
                        {"name":"Acme\\u0000Health","provider_type":"fhir","authorization_url":"http://x.example/a",
                         "token_url":"http://x.example/t","client_id":"c","client_auth_method":"none","scopes":"s"}
                        """)));
        assertProblem(failures, "terms NUL", raw("POST", "/api/admin/providers/trellis/terms", PLATFORM_ADMIN,
                bytes("{\"version\":\"9\\u0000\",\"terms_text\":\"t\",\"effective_date\":\"2026-01-01\"}")));
        assertThat(failures).isEmpty();
    }

    @Test
    void hostileCallbackParametersGetAProblemOrAnAllowListedRedirectNeverA5xx() {
        List<String> failures = new ArrayList<>();
        for (String query : List.of("", "state=", "state=" + "s".repeat(5000), "state=%00&code=%00",
                "state=x&error=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "error=access_denied",
                "state=%E2%80%AE&code=%F0%9F%92%A9", "state=a&state=b&code=c", "code=" + "c".repeat(10_000))) {
            for (String accept : List.of("application/json", "text/html")) {
                HttpResponse<String> r;
                try {
                    r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                            + "/api/oauth/callback?" + query)).header("Accept", accept).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                assertProblem(failures, "callback " + accept + " " + query.substring(0, Math.min(40, query.length())), r);
                assertThat(r.body()).doesNotContain("<script>");
            }
        }
        assertThat(failures).isEmpty();
    }
}
