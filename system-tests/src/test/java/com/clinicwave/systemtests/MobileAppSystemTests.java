package com.clinicwave.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The companion mobile app (native public client {@code companion-mobile}, RFC 8252), played against the running
 * suite: the "system browser" is an HTTP client with a cookie jar that goes through the auth-service pages via the
 * gateway (sign-in form with its CSRF field, consent), a loopback listener on 127.0.0.1 and a free port receives the
 * redirect, the app redeems the code with its PKCE verifier (no secret), refreshes by rotation, connects a provider
 * through the connect flow that comes back to the app by its private-use scheme, and a replayed refresh token revokes
 * the whole family. What must be refused is refused: other redirects, a token request without the verifier.
 */
class MobileAppSystemTests extends SuiteSystemTest {

    private static final String CLIENT = "companion-mobile";
    private static final String APP_REDIRECT = "com.clinicwave.companion:/oauth2redirect";
    private static final String APP_CONNECT = "com.clinicwave.companion:/connect";
    private static final String SCOPE = "openid profile offline_access connections:read connections:write";
    private static final String PASSWORD = "Mobile-app-pass-2026";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One patient of this class, registered once, and the system browser's session (cookie jar) they signed in with. */
    private static String username;
    private static SystemBrowser browser;
    private static Loopback loopback;

    @BeforeAll
    static void aNewPatientAndTheAppsLoopbackListener() throws IOException {
        username = "mob" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        HttpResponse<String> registered = postJson(GATEWAY + "/api/v1/auth/register",
                Map.of("username", username, "password", PASSWORD, "tenant", "clinicwave"));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        browser = new SystemBrowser();
        loopback = Loopback.start();
    }

    @AfterAll
    static void stopTheListener() {
        if (loopback != null) {
            loopback.close();
        }
    }

    @Test
    void signInOnTheLoopbackRefreshByRotationConnectAProviderAndReplayRevokesTheFamily() throws Exception {
        String redirect = loopback.redirectUri();
        assertThat(redirect).matches("http://127\\.0\\.0\\.1:\\d+/callback");
        Pkce pkce = new Pkce();
        String state = random();
        String nonce = random();

        Page landed = browser.authorize(authorizeUri(redirect, pkce.challenge(), state, nonce), username, PASSWORD);
        assertThat(landed.uri().toString()).startsWith(redirect + "?");
        Map<String, String> callback = loopback.received();
        assertThat(callback).containsEntry("state", state).doesNotContainKey("error");
        String code = callback.get("code");
        assertThat(code).isNotBlank();

        // code -> tokens: no client secret, the PKCE verifier instead.
        JsonNode first = tokenOk(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", redirect,
                "client_id", CLIENT, "code_verifier", pkce.verifier()));
        JWTClaimsSet id = SignedJWT.parse(first.path("id_token").asString()).getJWTClaimsSet();
        assertThat(id.getAudience()).containsExactly(CLIENT);
        assertThat(id.getStringClaim("nonce")).isEqualTo(nonce);
        assertThat(id.getIssuer()).isEqualTo(GATEWAY);
        String firstRefresh = first.path("refresh_token").asString();
        assertThat(firstRefresh).isNotBlank();

        // Refresh: a new refresh token every time (rotation), by client_id alone.
        JsonNode second = tokenOk(Map.of("grant_type", "refresh_token", "refresh_token", firstRefresh,
                "client_id", CLIENT));
        String secondRefresh = second.path("refresh_token").asString();
        assertThat(secondRefresh).isNotBlank().isNotEqualTo(firstRefresh);
        String bearer = "Bearer " + second.path("access_token").asString();

        // A connection, made through the connect flow that returns to the app by its scheme.
        String connectionId = connectTrellis(bearer);
        JsonNode connections = json(get(GATEWAY + "/api/connections", "Authorization", bearer)).path("connections");
        JsonNode connection = connections.valueStream().filter(c -> c.path("id").asString().equals(connectionId))
                .findFirst().orElseThrow(() -> new AssertionError(connectionId + " not in " + connections));
        assertThat(connection.path("provider_key").asString()).isEqualTo("trellis");
        assertThat(connection.path("status").asString()).isEqualTo("active");

        // The rotated-away refresh token replayed (as a thief would): refused, and the family revoked with it —
        // the current refresh token and its access token are dead too.
        HttpResponse<String> replay = token(Map.of("grant_type", "refresh_token", "refresh_token", firstRefresh,
                "client_id", CLIENT));
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(400);
        assertThat(json(replay).path("error").asString()).isEqualTo("invalid_grant");
        HttpResponse<String> current = token(Map.of("grant_type", "refresh_token", "refresh_token", secondRefresh,
                "client_id", CLIENT));
        assertThat(current.statusCode()).as(current.body()).isEqualTo(400);
        assertThat(json(current).path("error").asString()).isEqualTo("invalid_grant");
        HttpResponse<String> introspected = postForm(GATEWAY + "/oauth2/introspect",
                Map.of("token", second.path("access_token").asString()), "Authorization", "Basic "
                        + Base64.getEncoder().encodeToString("demo-service:demo-service-secret".getBytes(StandardCharsets.UTF_8)));
        assertThat(introspected.statusCode()).as(introspected.body()).isEqualTo(200);
        assertThat(json(introspected).path("active").asBoolean()).isFalse();
        // The gateway learns of the revocation from auth.events; the API refuses the token once it has.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(get(GATEWAY + "/api/connections", "Authorization", bearer).statusCode()).isEqualTo(401));
    }

    @Test
    void thePrivateUseSchemeCarriesTheCodeAndTheTokenRequestNeedsTheVerifier() throws Exception {
        Pkce pkce = new Pkce();
        String state = random();
        Page landed = browser.authorize(authorizeUri(APP_REDIRECT, pkce.challenge(), state, random()), username,
                PASSWORD);
        // The browser hands this URI to the app (the operating system's job); it does not load it.
        assertThat(landed.handedToApp()).isTrue();
        assertThat(landed.uri().toString()).startsWith(APP_REDIRECT + "?");
        Map<String, String> params = query(landed.uri());
        assertThat(params).containsEntry("state", state);
        String code = params.get("code");
        assertThat(code).isNotBlank();

        // Without the verifier the public client is not authenticated at all; with a wrong one the grant is refused.
        HttpResponse<String> noVerifier = token(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", APP_REDIRECT, "client_id", CLIENT));
        assertThat(noVerifier.statusCode()).as(noVerifier.body()).isEqualTo(401);
        assertThat(noVerifier.body()).doesNotContain("access_token");
        HttpResponse<String> wrongVerifier = token(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", APP_REDIRECT, "client_id", CLIENT, "code_verifier", new Pkce().verifier()));
        assertThat(wrongVerifier.statusCode()).as(wrongVerifier.body()).isEqualTo(400);
        assertThat(json(wrongVerifier).path("error").asString()).isEqualTo("invalid_grant");
        assertThat(wrongVerifier.body()).doesNotContain("access_token");
    }

    @Test
    void otherRedirectsAndAuthorizationsWithoutPkceAreRefused() throws Exception {
        signedIn();
        int port = loopback.port();
        for (String redirect : List.of("http://127.0.0.1:" + port + "/other", "http://localhost:" + port + "/callback",
                "com.evil.app:/oauth2redirect", "com.clinicwave.companion:/oauth2redirect/other")) {
            Page refused = browser.open(authorizeUri(redirect, new Pkce().challenge(), random(), random()));
            // An error page of auth-service itself: no redirect anywhere, nothing reached the app or the listener.
            assertThat(refused.handedToApp()).as(redirect).isFalse();
            assertThat(refused.status()).as(redirect).isEqualTo(400);
            assertThat(refused.uri().getPath()).as(redirect).isEqualTo("/oauth2/authorize");
            assertThat(loopback.nothingReceived()).as(redirect).isTrue();
        }

        // A valid redirect without a code challenge: the error goes back to the app, and no code with it.
        String state = random();
        browser.open(withQuery(GATEWAY + "/oauth2/authorize", Map.of("response_type", "code", "client_id", CLIENT,
                "redirect_uri", loopback.redirectUri(), "scope", SCOPE, "state", state)));
        Map<String, String> callback = loopback.received();
        assertThat(callback).containsEntry("error", "invalid_request").containsEntry("state", state)
                .doesNotContainKey("code");
    }

    /** Signs the class's patient in (and gives consent) once, so refusals are tested with a live browser session. */
    private static void signedIn() throws Exception {
        Pkce pkce = new Pkce();
        Page landed = browser.authorize(authorizeUri(loopback.redirectUri(), pkce.challenge(), random(), random()),
                username, PASSWORD);
        assertThat(landed.uri().toString()).startsWith(loopback.redirectUri() + "?");
        assertThat(loopback.received()).containsKey("code");
    }

    /**
     * The connect flow as the app runs it: initiate with the app's connect URI, the provider's consent in the system
     * browser (the sandbox's shortcut approves as patient-001), then the redirect to the app's scheme, captured and not
     * followed. The app finishes with its own token when the redirect asks for it ({@code status=awaiting_completion},
     * the connect-flow contract); a back end that still completes in the callback sends {@code connection_id}.
     */
    private static String connectTrellis(String bearer) throws Exception {
        JsonNode terms = json(get(GATEWAY + "/api/providers/trellis/terms", "Authorization", bearer));
        Map<String, Object> initiate = new LinkedHashMap<>();
        initiate.put("provider_key", "trellis");
        initiate.put("redirect_url", APP_CONNECT);
        if (!terms.path("version").asString().isEmpty()) {
            initiate.put("accepted_terms_version", terms.path("version").asString());
        }
        HttpResponse<String> initiated = postJson(GATEWAY + "/api/oauth/initiate", initiate, "Authorization", bearer);
        assertThat(initiated.statusCode()).as(initiated.body()).isEqualTo(200);
        String oauthUrl = json(initiated).path("oauth_url").asString();
        String flowState = json(initiated).path("state").asString();

        Page back = browser.open(URI.create(oauthUrl + "&sandbox_patient=patient-001&sandbox_decision=approve"));
        assertThat(back.handedToApp()).as(back.uri() + " " + back.status() + " " + back.body()).isTrue();
        assertThat(back.uri().toString()).startsWith(APP_CONNECT + "?");
        Map<String, String> result = query(back.uri());
        assertThat(result).containsEntry("provider_key", "trellis").doesNotContainKey("error");
        if ("awaiting_completion".equals(result.get("status"))) {
            if (!flowState.isEmpty()) {
                assertThat(result).containsEntry("state", flowState);
            }
            Map<String, String> complete = new LinkedHashMap<>();
            complete.put("state", result.get("state"));
            complete.put("code", result.get("code"));
            if (result.containsKey("iss")) {
                complete.put("iss", result.get("iss"));
            }
            HttpResponse<String> completed = postJson(GATEWAY + "/api/oauth/complete", complete,
                    "Authorization", bearer);
            assertThat(completed.statusCode()).as(completed.body()).isEqualTo(201);
            assertThat(json(completed).path("success").asBoolean()).isTrue();
            return json(completed).path("connection_id").asString();
        }
        assertThat(result.get("connection_id")).as(back.uri().toString()).isNotBlank();
        return result.get("connection_id");
    }

    private static URI authorizeUri(String redirect, String challenge, String state, String nonce) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", CLIENT);
        params.put("redirect_uri", redirect);
        params.put("scope", SCOPE);
        params.put("state", state);
        params.put("nonce", nonce);
        params.put("code_challenge", challenge);
        params.put("code_challenge_method", "S256");
        return withQuery(GATEWAY + "/oauth2/authorize", params);
    }

    private static URI withQuery(String base, Map<String, String> params) {
        return URI.create(base + "?" + params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(),
                StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
    }

    private static HttpResponse<String> token(Map<String, String> form) {
        return postForm(GATEWAY + "/oauth2/token", form);
    }

    private static JsonNode tokenOk(Map<String, String> form) {
        HttpResponse<String> response = token(form);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            // An opaque URI (scheme:path without a slash) keeps its query in the scheme-specific part.
            String part = uri.getRawSchemeSpecificPart();
            raw = part.contains("?") ? part.substring(part.indexOf('?') + 1) : "";
        }
        for (String pair : raw.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                assertThat(params.putIfAbsent(name, value)).as("parameter " + name + " once in " + uri).isNull();
            }
        }
        return params;
    }

    private static String random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** RFC 7636: a 43-character verifier and its S256 challenge. */
    private record Pkce(String verifier) {
        Pkce() {
            this(verifier32());
        }

        private static String verifier32() {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }

        String challenge() {
            try {
                return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                        .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Where the browser ended: a page it shows, or a URI of another scheme it handed to the app. */
    private record Page(URI uri, int status, String body, boolean handedToApp) {
    }

    /**
     * The system browser, as far as these pages need one: a cookie jar, redirects followed one by one (a URI of a
     * scheme other than http(s) is handed to the app, not loaded), HTML forms read and submitted like a person would
     * — the sign-in form filled in, every scope ticked on a consent form.
     */
    private static final class SystemBrowser {
        private static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>(.*?)</form>",
                Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
        private static final Pattern INPUT = Pattern.compile("<input\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
        private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'))?");

        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

        /** Opens an authorization URL and goes through whatever pages come: sign-in, consent. */
        Page authorize(URI authorize, String user, String password) throws Exception {
            Page page = open(authorize);
            for (int step = 0; step < 4 && !page.handedToApp() && page.status() == 200; step++) {
                Map<String, String> form;
                if ((form = form(page, "password")) != null) {
                    Map<String, List<String>> fields = fields(page, form);
                    fields.put("username", List.of(user));
                    fields.put("password", List.of(password));
                    page = submit(page, form, fields);
                } else if ((form = form(page, "consent")) != null) {
                    page = submit(page, form, fields(page, form));
                } else {
                    break;
                }
            }
            return page;
        }

        Page open(URI uri) throws Exception {
            return follow(send(HttpRequest.newBuilder(uri)));
        }

        private Page submit(Page page, Map<String, String> form, Map<String, List<String>> fields) throws Exception {
            String body = fields.entrySet().stream().flatMap(e -> e.getValue().stream().map(v ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)))
                    .collect(Collectors.joining("&"));
            URI action = page.uri().resolve(unescape(form.getOrDefault("action", page.uri().toString())));
            return follow(send(HttpRequest.newBuilder(action).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body))));
        }

        private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            return http.send(request.timeout(Duration.ofSeconds(30)).header("Accept", "text/html").build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        private Page follow(HttpResponse<String> response) throws Exception {
            for (int hops = 0; hops < 10; hops++) {
                if (response.statusCode() < 300 || response.statusCode() > 399) {
                    return new Page(response.uri(), response.statusCode(), response.body(), false);
                }
                URI next = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
                if (!"http".equals(next.getScheme()) && !"https".equals(next.getScheme())) {
                    return new Page(next, response.statusCode(), "", true);
                }
                response = send(HttpRequest.newBuilder(next));
            }
            throw new AssertionError("too many redirects, at " + response.uri());
        }

        /** The first form with an input named {@code password} ("password"), or posting {@code client_id} and {@code state} ("consent"). */
        private static Map<String, String> form(Page page, String kind) {
            Matcher forms = FORM.matcher(page.body());
            while (forms.find()) {
                Map<String, String> attributes = attributes(forms.group(1));
                attributes.put("#content", forms.group(2));
                List<String> names = inputs(forms.group(2)).stream().map(i -> i.getOrDefault("name", "")).toList();
                boolean match = "password".equals(kind) ? names.contains("password")
                        : names.contains("client_id") && names.contains("state")
                                && "post".equalsIgnoreCase(attributes.getOrDefault("method", ""));
                if (match) {
                    return attributes;
                }
            }
            return null;
        }

        /** What the form would send: its named inputs (every enabled checkbox ticked). */
        private static Map<String, List<String>> fields(Page page, Map<String, String> form) {
            Map<String, List<String>> fields = new LinkedHashMap<>();
            for (Map<String, String> input : inputs(form.get("#content"))) {
                String name = input.get("name");
                String type = input.getOrDefault("type", "text").toLowerCase();
                if (name == null || input.containsKey("disabled") || type.equals("submit") || type.equals("button")
                        || type.equals("reset")) {
                    continue;
                }
                fields.computeIfAbsent(unescape(name), k -> new ArrayList<>())
                        .add(unescape(input.getOrDefault("value", type.equals("checkbox") ? "on" : "")));
            }
            return fields;
        }

        private static List<Map<String, String>> inputs(String html) {
            List<Map<String, String>> inputs = new ArrayList<>();
            Matcher matcher = INPUT.matcher(html);
            while (matcher.find()) {
                inputs.add(attributes(matcher.group(1)));
            }
            return inputs;
        }

        private static Map<String, String> attributes(String tag) {
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher matcher = ATTRIBUTE.matcher(tag);
            while (matcher.find()) {
                String value = matcher.group(2) != null ? matcher.group(2) : matcher.group(3) != null ? matcher.group(3) : "";
                attributes.putIfAbsent(matcher.group(1).toLowerCase(), value);
            }
            return attributes;
        }

        private static String unescape(String html) {
            return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&#x27;", "'").replace("&lt;", "<")
                    .replace("&gt;", ">").replace("&#x2F;", "/").replace("&#47;", "/").replace("&amp;", "&");
        }
    }

    /** The app's loopback listener (RFC 8252 §7.3): 127.0.0.1, a port the system picks, path /callback. */
    private static final class Loopback implements AutoCloseable {
        private final HttpServer server;
        private final BlockingQueue<Map<String, String>> received = new LinkedBlockingQueue<>();

        private Loopback(HttpServer server) {
            this.server = server;
        }

        static Loopback start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            Loopback loopback = new Loopback(server);
            server.createContext("/callback", exchange -> {
                URI uri = exchange.getRequestURI();
                if (!"/callback".equals(uri.getPath())) {
                    exchange.sendResponseHeaders(404, -1);
                    exchange.close();
                    return;
                }
                loopback.received.add(query(URI.create("http://127.0.0.1" + uri.toString())));
                byte[] page = "<!doctype html><title>ClinicWave</title><p>Signed in. Return to the app.</p>"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, page.length);
                exchange.getResponseBody().write(page);
                exchange.close();
            });
            server.start();
            return loopback;
        }

        int port() {
            return server.getAddress().getPort();
        }

        String redirectUri() {
            return "http://127.0.0.1:" + port() + "/callback";
        }

        /** The query of the one redirect received (the browser has already loaded it when this is asked). */
        Map<String, String> received() throws InterruptedException {
            Map<String, String> query = received.poll(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(query).as("the loopback listener received the redirect").isNotNull();
            assertThat(received).as("exactly one redirect").isEmpty();
            return query;
        }

        boolean nothingReceived() {
            return received.isEmpty();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
