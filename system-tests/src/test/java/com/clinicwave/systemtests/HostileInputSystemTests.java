package com.clinicwave.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 13 item 8: every public route of the gateway, sent hostile input — bodies (empty, wrong type, truncated,
 * deep nesting, huge, NUL escapes and raw NUL bytes, invalid UTF-8, injection strings, wrong media types), ids
 * (traversal, encoded slashes, overlong, unicode, invalid percent-encoding, NUL, script, path parameters, raw
 * non-ASCII bytes), headers (duplicated, oversized, CRLF / folded, garbage bearer), hostile queries and methods —
 * once without a token and once with a valid one (admin routes with an admin's). Every answer must come within 5 s
 * (a per-exchange socket timeout), be no 5xx, and, for a 4xx, be an {@code application/problem+json} problem with a
 * {@code code}; no answer may be an HTML error page, echo a script, or name a stack frame or framework.
 * <p>
 * Requests go over raw sockets: most of these an HTTP client refuses to send. The gateway limits requests per
 * client address (anonymous 300/min, credentials 20/min); the test spreads its thousands of requests over loopback
 * source addresses (127.1.x.y), ten requests each, so that the cases reach the services instead of the limiter.
 */
class HostileInputSystemTests extends SuiteSystemTest {

    private static final int TIMEOUT_MS = 5000;
    private static final URI BASE = URI.create(GATEWAY);
    private static final AtomicInteger REQUESTS = new AtomicInteger();

    private static String patientToken;
    private static String adminToken;
    private static String ownSessionToken;

    /** Which valid token a route's "with a token" half uses. */
    enum Caller { PATIENT, ADMIN, OWN_SESSION }

    record Route(String method, String template, Caller caller) {

        String path(String id) {
            return template.contains("{id}") ? template.replace("{id}", id) : template;
        }

        String pathWithHostileSegment(String segment) {
            return template.contains("{id}") ? template.replace("{id}", segment) : template + "/" + segment;
        }
    }

    record Answer(int status, Map<String, String> headers, String body) {
    }

    record Variant(String name, Function<Route, byte[][]> request) {
    }

    static final List<Route> ROUTES = List.of(
            // auth-service: first-party login API, sessions, API keys
            new Route("POST", "/api/v1/auth/login", Caller.PATIENT),
            new Route("POST", "/api/v1/auth/register", Caller.PATIENT),
            new Route("POST", "/api/v1/auth/refresh", Caller.PATIENT),
            // A session of its own: logging out must not revoke the demo token other tests share.
            new Route("POST", "/api/v1/auth/logout", Caller.OWN_SESSION),
            new Route("GET", "/api/v1/auth/me", Caller.PATIENT),
            new Route("GET", "/api/v1/auth/sessions", Caller.PATIENT),
            new Route("DELETE", "/api/v1/auth/sessions/{id}", Caller.PATIENT),
            new Route("POST", "/api/v1/auth/api-key", Caller.PATIENT),
            new Route("GET", "/api/v1/auth/api-keys", Caller.PATIENT),
            new Route("DELETE", "/api/v1/auth/api-keys/{id}", Caller.PATIENT),
            // auth-service: OAuth 2.1 / OIDC endpoints and the login page
            new Route("POST", "/oauth2/token", Caller.PATIENT),
            new Route("POST", "/oauth2/revoke", Caller.PATIENT),
            new Route("POST", "/oauth2/introspect", Caller.PATIENT),
            new Route("GET", "/oauth2/authorize", Caller.PATIENT),
            new Route("GET", "/oauth2/jwks", Caller.PATIENT),
            new Route("GET", "/userinfo", Caller.PATIENT),
            new Route("GET", "/.well-known/openid-configuration", Caller.PATIENT),
            new Route("POST", "/login", Caller.PATIENT),
            // auth-service: tenant administration
            new Route("GET", "/api/v1/admin/roles", Caller.ADMIN),
            new Route("POST", "/api/v1/admin/roles", Caller.ADMIN),
            new Route("PUT", "/api/v1/admin/users/{id}/roles", Caller.ADMIN),
            new Route("POST", "/api/v1/admin/users/{id}/unlock", Caller.ADMIN),
            // provider-connection-service: catalog, connect flow, connections, administration
            new Route("GET", "/api/providers", Caller.PATIENT),
            new Route("GET", "/api/providers/{id}", Caller.PATIENT),
            new Route("GET", "/api/providers/{id}/oauth-config", Caller.PATIENT),
            new Route("GET", "/api/providers/{id}/terms", Caller.PATIENT),
            new Route("POST", "/api/providers/{id}/terms", Caller.PATIENT),
            new Route("POST", "/api/oauth/initiate", Caller.PATIENT),
            new Route("GET", "/api/oauth/callback", Caller.PATIENT),
            new Route("POST", "/api/oauth/complete", Caller.PATIENT),
            new Route("POST", "/api/oauth/token/refresh", Caller.PATIENT),
            new Route("GET", "/api/connections", Caller.PATIENT),
            new Route("GET", "/api/connections/{id}", Caller.PATIENT),
            new Route("DELETE", "/api/connections/{id}", Caller.PATIENT),
            // A patient's token (403): an admin's could add a hostile entry to the catalog every other test walks.
            new Route("PUT", "/api/admin/providers/{id}", Caller.PATIENT),
            new Route("POST", "/api/admin/providers/{id}/terms", Caller.ADMIN),
            new Route("POST", "/api/admin/connections/re-encrypt", Caller.ADMIN),
            // claims-service
            new Route("GET", "/api/connections/{id}/claims", Caller.PATIENT),
            new Route("POST", "/api/connections/{id}/sync", Caller.PATIENT),
            new Route("GET", "/api/syncs/{id}", Caller.PATIENT),
            new Route("PATCH", "/api/claims/{id}/verification", Caller.PATIENT),
            // athena-service
            new Route("GET", "/api/athena/connections/{id}/patient", Caller.PATIENT),
            new Route("GET", "/api/athena/connections/{id}/balance", Caller.PATIENT),
            new Route("GET", "/api/athena/connections/{id}/claims", Caller.PATIENT),
            new Route("GET", "/api/athena/connections/{id}/appointments", Caller.PATIENT));

    /** Every field name a public request body has, so that hostile values reach each service's own fields. */
    private static final String[] FIELDS = {"username", "password", "tenant", "email", "refresh_token", "name",
        "scopes", "provider_key", "redirect_url", "accepted_terms_version", "state", "code", "iss", "connection_id",
        "status", "verified", "note", "roles", "version", "display_name", "token_url", "fhir_base_url", "client_id",
        "client_secret", "grant_type", "token"};

    @BeforeAll
    static void logIn() {
        patientToken = "Bearer " + DemoUser.accessToken();
        HttpResponse<String> admin = postJson(GATEWAY + "/api/v1/auth/login",
                Map.of("username", "admin", "password", "admin-password-1", "tenant", DemoUser.TENANT));
        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
        adminToken = "Bearer " + json(admin).path("access_token").asString();
        ownSessionToken = "Bearer " + DemoUser.newSession();
    }

    static List<Variant> variants() {
        List<Variant> variants = new ArrayList<>();
        // Bodies
        variants.add(body("empty body", "application/json", new byte[0]));
        variants.add(body("JSON array instead of an object", "application/json", bytes("[]")));
        variants.add(body("JSON string instead of an object", "application/json", bytes("\"x\"")));
        variants.add(body("truncated JSON", "application/json", bytes("{\"username\": [\"unclosed")));
        variants.add(body("deep nesting", "application/json",
                bytes("{\"a\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}")));
        variants.add(body("huge body", "application/json",
                bytes("{\"username\":\"" + "a".repeat(3 * 1024 * 1024) + "\"}")));
        variants.add(body("NUL escapes in every field", "application/json", bytes(object("x\\u0000y"))));
        variants.add(body("raw NUL bytes", "application/json", bytes(object("x\u0000y"))));
        variants.add(body("invalid UTF-8", "application/json", concat(bytes("{\"username\":\""),
                new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28, (byte) 0xed, (byte) 0xa0, (byte) 0x80},
                bytes("\",\"password\":\"x\"}"))));
        variants.add(body("injection strings", "application/json", bytes(object(
                "' OR '1'='1'; DROP TABLE users; -- <script>alert(1)</script> ${7*7} {{7*7}} ../../etc/passwd"))));
        variants.add(body("wrong field types", "application/json", bytes(wrongTypes())));
        variants.add(body("XML body", "text/xml", bytes("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM "
                + "\"file:///etc/passwd\">]><x>&e;</x>")));
        variants.add(body("undecodable form body", "application/x-www-form-urlencoded",
                bytes("grant_type=%zz&username=%00&password=%ff%fe&client_id=a%")));
        // Ids and path segments
        variants.add(segment("traversal", "..%2F..%2F..%2Fetc%2Fpasswd"));
        variants.add(segment("dot segments", "../../../actuator/env"));
        variants.add(segment("encoded slash", "a%2Fb%5Cc"));
        variants.add(segment("overlong id", "a".repeat(6000)));
        variants.add(segment("unicode id", "%E2%80%AE%F0%9F%98%80%C3%A9%EF%BC%8F"));
        variants.add(segment("invalid percent-encoding", "%ff%fe"));
        variants.add(segment("broken percent-encoding", "%zz%"));
        variants.add(segment("encoded NUL", "a%00b"));
        variants.add(segment("script", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"));
        variants.add(segment("path parameter", "x;jsessionid=1;a=b"));
        variants.add(new Variant("raw non-ASCII bytes in the path", route -> new byte[][] {concat(
                bytes(route.method() + " " + route.pathWithHostileSegment("")), new byte[] {(byte) 0xff, (byte) 0xfe,
                    (byte) 0xc3}, bytes(" HTTP/1.1\r\nHost: " + host() + "\r\n")), new byte[0]}));
        // Headers
        variants.add(header("duplicated Authorization and Content-Type",
                "Authorization: Bearer not-a-token\r\nAuthorization: Basic Zm9vOmJhcg==\r\n"
                        + "Content-Type: application/json\r\nContent-Type: text/plain\r\n"));
        variants.add(header("oversized header", "X-Padding: " + "p".repeat(40_000) + "\r\n"));
        variants.add(header("folded header (CRLF + space)", "X-Injected: a\r\n  Set-Cookie: x=1\r\n"));
        variants.add(header("bare LF and CR in headers", "X-A: a\nX-B: b\rX-C: c\r\n"));
        variants.add(header("garbage bearer", "Authorization: Bearer ' OR 1=1 -- <script>\u00ff\r\n"));
        variants.add(header("NUL in a header", "X-Tenant: a\u0000b\r\nAccept: \u0000\r\n"));
        // Queries and methods
        variants.add(new Variant("hostile query", route -> request(route.method(), route.path(UUID.randomUUID()
                .toString()) + "?state=%3Cscript%3Ealert(1)%3C%2Fscript%3E&code=%00&error=%3Cimg%20src%3Dx%3E"
                + "&error_description=%ff&page=-1&size=999999999&from=not-a-date&status=%27%20OR%201%3D1&a=%zz",
                null, null, "")));
        variants.add(new Variant("unexpected method", route -> request(
                "GET".equals(route.method()) ? "PATCH" : "GET",
                route.path(UUID.randomUUID().toString()), "application/json", bytes("{}"), "")));
        variants.add(new Variant("unknown method", route -> request("BREW",
                route.path(UUID.randomUUID().toString()), null, null, "")));
        return variants;
    }

    @TestFactory
    Stream<DynamicTest> everyPublicRouteAnswersHostileInputWithAProblem() {
        List<Variant> variants = variants();
        assertThat(variants).hasSizeGreaterThanOrEqualTo(20);
        return ROUTES.stream().map(route -> DynamicTest.dynamicTest(route.method() + " " + route.template(), () -> {
            List<String> failures = new ArrayList<>();
            String valid = switch (route.caller()) {
                case PATIENT -> patientToken;
                case ADMIN -> adminToken;
                case OWN_SESSION -> ownSessionToken;
            };
            for (String token : new String[] {null, valid}) {
                for (Variant variant : variants) {
                    byte[][] parts = variant.request().apply(route);
                    byte[] request = withAuthorization(parts, token);
                    String label = variant.name() + (token == null ? " (anonymous)" : " (with a token)");
                    try {
                        Answer answer = exchange(request);
                        String problem = check(answer);
                        if (problem != null) {
                            failures.add(label + ": " + problem);
                        }
                    } catch (IOException e) {
                        failures.add(label + ": no answer within 5 s (" + e + ")");
                    }
                }
            }
            assertThat(failures).as(route.method() + " " + route.template()).isEmpty();
        }));
    }

    /** Null when the answer is acceptable, else what is wrong with it. */
    static String check(Answer answer) {
        String body = answer.body();
        String lower = body.toLowerCase(Locale.ROOT);
        String snippet = body.length() > 300 ? body.substring(0, 300) + "…" : body;
        String contentType = answer.headers().getOrDefault("content-type", "");
        if (answer.status() >= 500) {
            return answer.status() + " " + contentType + " " + snippet;
        }
        for (String leak : new String[] {"\tat ", "at com.", "at org.", "at java.", "exception", "tomcat", "netty",
            "jackson", "springframework", "whitelabel", "reactor.", "hikari", "psql", "postgres"}) {
            if (lower.contains(leak)) {
                return answer.status() + " leaks '" + leak + "': " + snippet;
            }
        }
        String location = answer.headers().getOrDefault("location", "");
        if (location.contains("<") || location.contains("\"")) {
            return answer.status() + " redirect echoes markup: " + location;
        }
        if (answer.status() >= 400) {
            if (!contentType.startsWith("application/problem+json")) {
                return answer.status() + " with Content-Type '" + contentType + "': " + snippet;
            }
            if (!body.contains("\"code\":\"")) {
                return answer.status() + " problem without a code: " + snippet;
            }
            if (lower.contains("<html") || lower.contains("<script") || lower.contains("<img")) {
                return answer.status() + " echoes markup: " + snippet;
            }
        }
        return null;
    }

    // ---- request building

    private static Variant body(String name, String contentType, byte[] body) {
        return new Variant(name, route -> request(route.method(), route.path(UUID.randomUUID().toString()),
                contentType, body, ""));
    }

    private static Variant segment(String name, String segment) {
        return new Variant("id: " + name, route -> request(route.method(), route.pathWithHostileSegment(segment),
                "POST".equals(route.method()) || "PUT".equals(route.method()) || "PATCH".equals(route.method())
                        ? "application/json" : null, bytes("{}"), ""));
    }

    private static Variant header(String name, String headers) {
        return new Variant("header: " + name, route -> request(route.method(),
                route.path(UUID.randomUUID().toString()), "application/json", bytes("{}"), headers));
    }

    /** Head (without the blank line) and body, so that an Authorization header can be added in between. */
    private static byte[][] request(String method, String target, String contentType, byte[] body, String headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host()).append("\r\n").append("Accept: application/json\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append(headers);
        return new byte[][] {head.toString().getBytes(StandardCharsets.ISO_8859_1), body == null ? new byte[0] : body};
    }

    private static byte[] withAuthorization(byte[][] parts, String token) {
        String auth = token == null ? "" : "Authorization: " + token + "\r\n";
        return concat(parts[0], bytes(auth + "Connection: close\r\n\r\n"), parts[1]);
    }

    private static String object(String value) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String field : FIELDS) {
            fields.put(field, value);
        }
        // The escapes are already JSON: build the text by hand so that they reach the server as they are.
        StringBuilder json = new StringBuilder("{");
        fields.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":\"")
                .append(v.toString().replace("\"", "\\\"")).append('"'));
        return json.append('}').toString();
    }

    private static String wrongTypes() {
        StringBuilder json = new StringBuilder("{");
        Object[] values = {"123", "[]", "{}", "true", "-1e400", "null", "[[[[\"x\"]]]]", "9223372036854775808000"};
        for (int i = 0; i < FIELDS.length; i++) {
            json.append(i > 0 ? "," : "").append('"').append(FIELDS[i]).append("\":").append(values[i % values.length]);
        }
        return json.append('}').toString();
    }

    private static String host() {
        return BASE.getHost() + ":" + BASE.getPort();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    // ---- the exchange

    /** One request on a fresh connection from a loopback source address used for at most ten requests. */
    static Answer exchange(byte[] request) throws IOException {
        int n = REQUESTS.getAndIncrement() / 10;
        InetAddress source = InetAddress.getByAddress(new byte[] {127, 1, (byte) (n / 250), (byte) (1 + n % 250)});
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress(BASE.getHost(), BASE.getPort()), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            try {
                // In slices, stopping as soon as the server answers: it may refuse a huge body or an oversized header
                // before reading it all, and a close with unread data would reset the connection, answer included.
                for (int offset = 0; offset < request.length && in.available() == 0; offset += 65536) {
                    out.write(request, offset, Math.min(65536, request.length - offset));
                    out.flush();
                }
            } catch (IOException e) {
                // The server closed its side early; its answer, if any, is read below.
            }
            return read(in);
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[16384];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                all.write(buffer, 0, n);
                if (complete(all.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            if (!all.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                throw e;
            }
        } catch (IOException reset) {
            if (all.size() == 0) {
                throw reset;
            }
        }
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete response head: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return new Answer(status, headers, text.substring(end + 4));
    }

    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end).toLowerCase(Locale.ROOT);
        for (String line : head.split("\r\n")) {
            if (line.startsWith("content-length:")) {
                return text.length() >= end + 4 + Long.parseLong(line.substring(15).trim());
            }
        }
        if (head.contains("transfer-encoding: chunked")) {
            return text.endsWith("\r\n0\r\n\r\n");
        }
        return false; // read until the server closes (we sent Connection: close)
    }
}
