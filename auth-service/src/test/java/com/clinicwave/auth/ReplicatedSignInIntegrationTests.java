package com.clinicwave.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.clinicwave.testsupport.TestRedis;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 16: two auth-service replicas (two application contexts on random ports) on the same PostgreSQL and Redis,
 * and a browser (an HTTP client with a cookie jar) whose every request goes to the other replica than the one
 * before — round-robin at its worst. The sign-in page, its CSRF token, the authorization request saved before the
 * login (and before the federation redirect), the SSO session and logout all live in Spring Session's Redis store,
 * so the flow works whichever replica answers. Replica B reaches Redis through a proxy that the last test cuts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicatedSignInIntegrationTests {

    private static final String CLIENT = "companion-web";
    private static final String REDIRECT = "http://127.0.0.1:5173/callback";
    private static final JsonMapper JSON = new JsonMapper();

    private static ConfigurableApplicationContext replicaA;
    private static ConfigurableApplicationContext replicaB;
    private static TcpProxy redisOfB;
    private static String[] bases;
    private static int next;

    @BeforeAll
    static void startTwoReplicas() throws IOException {
        replicaA = replica(Map.of());
        Environment env = replicaA.getEnvironment();
        redisOfB = new TcpProxy(TestRedis.get().host(), TestRedis.get().port());
        Map<String, Object> shared = new LinkedHashMap<>();
        // The second replica: no infrastructure of its own — A's database, A's Redis database (through the proxy).
        shared.put("clinicwave.test.infrastructure.enabled", "false");
        for (String key : List.of("spring.datasource.url", "spring.datasource.username", "spring.datasource.password",
                "spring.data.redis.database", "spring.kafka.bootstrap-servers", "spring.kafka.consumer.auto-offset-reset")) {
            if (env.getProperty(key) != null) {
                shared.put(key, env.getProperty(key));
            }
        }
        shared.put("clinicwave.kafka.group-suffix", env.getProperty("clinicwave.kafka.group-suffix") + "-b");
        shared.put("spring.data.redis.host", "127.0.0.1");
        shared.put("spring.data.redis.port", redisOfB.port());
        shared.put("spring.data.redis.password", "");
        shared.put("spring.data.redis.timeout", "1s");
        replicaB = replica(shared);
        bases = new String[] {base(replicaA), base(replicaB)};
    }

    private static ConfigurableApplicationContext replica(Map<String, Object> extra) {
        String idp = "http://localhost:" + AuthIntegrationTest.IDP.port() + "/idp";
        Map<String, Object> props = new LinkedHashMap<>(Map.ofEntries(
                Map.entry("server.port", "0"),
                Map.entry("clinicwave.auth.keys.encryption-key", "3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhs="),
                Map.entry("clinicwave.auth.keys.publish-lead", "0s"),
                Map.entry("clinicwave.auth.seed.enabled", "true"),
                Map.entry("GATEWAY_CLIENT_SECRET", "gateway-test-secret"),
                Map.entry("ATHENA_SERVICE_CLIENT_SECRET", "athena-test-secret"),
                Map.entry("CLAIMS_SERVICE_CLIENT_SECRET", "claims-test-secret"),
                Map.entry("clinicwave.auth.passwords.argon2-memory-kib", "1024"),
                Map.entry("clinicwave.auth.passwords.argon2-iterations", "1"),
                Map.entry("clinicwave.auth.federation.tenants.test-idp", "abott"),
                Map.entry("spring.security.oauth2.client.registration.test-idp.client-id", "clinicwave"),
                Map.entry("spring.security.oauth2.client.registration.test-idp.client-secret", "idp-secret"),
                Map.entry("spring.security.oauth2.client.registration.test-idp.client-name", "Test IdP"),
                Map.entry("spring.security.oauth2.client.registration.test-idp.scope", "openid,profile,email"),
                Map.entry("spring.security.oauth2.client.registration.test-idp.authorization-grant-type",
                        "authorization_code"),
                Map.entry("spring.security.oauth2.client.registration.test-idp.redirect-uri",
                        "{baseUrl}/login/oauth2/code/{registrationId}"),
                Map.entry("spring.security.oauth2.client.provider.test-idp.user-name-attribute", "sub"),
                Map.entry("spring.security.oauth2.client.provider.test-idp.issuer-uri", idp),
                Map.entry("spring.security.oauth2.client.provider.test-idp.authorization-uri", idp + "/authorize"),
                Map.entry("spring.security.oauth2.client.provider.test-idp.token-uri", idp + "/token"),
                Map.entry("spring.security.oauth2.client.provider.test-idp.jwk-set-uri", idp + "/jwks")));
        props.putAll(extra);
        // As command-line arguments: they outrank deploy/config-repo (default properties would not).
        return new SpringApplicationBuilder(AuthServiceApplication.class).run(props.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    private static String base(ConfigurableApplicationContext context) {
        return "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        if (replicaB != null) {
            replicaB.close();
        }
        if (replicaA != null) {
            replicaA.close();
        }
        if (redisOfB != null) {
            redisOfB.close();
        }
    }

    /** The browser: a cookie jar shared by both replicas (same host), redirects followed by hand. */
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** The next replica in round-robin order. */
    private static String nextReplica() {
        return bases[next++ % 2];
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(nextReplica() + pathAndQuery)).header("Accept", "text/html")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postForm(String path, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return browser.send(HttpRequest.newBuilder(URI.create(nextReplica() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Location of a redirect, as a path and query on whichever replica is next. */
    private static String location(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        URI uri = URI.create(response.headers().firstValue("Location").orElseThrow());
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private String sessionCookie() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("CW_AUTH_SESSION"))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    private static String csrf(HttpResponse<String> loginPage) {
        assertThat(loginPage.statusCode()).isEqualTo(200);
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(loginPage.body());
        assertThat(m.find()).as("the sign-in page carries a CSRF token").isTrue();
        return m.group(1);
    }

    private static String authorizeRequest(String verifier) throws Exception {
        return UriComponentsBuilder.fromPath("/oauth2/authorize").queryParam("response_type", "code")
                .queryParam("client_id", CLIENT).queryParam("redirect_uri", REDIRECT)
                .queryParam("scope", "openid profile offline_access").queryParam("state", "st4te")
                .queryParam("code_challenge", OAuthFlowTest.challenge(verifier))
                .queryParam("code_challenge_method", "S256").encode().build().toUriString();
    }

    private static String register(String tenant) throws Exception {
        String username = "r" + UUID.randomUUID().toString().substring(0, 12);
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(nextReplica() + "/api/v1/auth/register")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("tenant", tenant, "username",
                        username, "password", "replica-pass-123")))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return username;
    }

    private JsonNode redeem(String codeRedirect, String verifier) throws Exception {
        assertThat(codeRedirect).startsWith(REDIRECT + "?code=");
        var params = UriComponentsBuilder.fromUriString(codeRedirect).build().getQueryParams();
        assertThat(params.getFirst("state")).isEqualTo("st4te");
        String form = "grant_type=authorization_code&code=" + params.getFirst("code") + "&redirect_uri=" + REDIRECT
                + "&client_id=" + CLIENT + "&code_verifier=" + verifier;
        HttpResponse<String> tokens = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(nextReplica() + "/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        return JSON.readTree(tokens.body());
    }

    @Test
    @Order(1)
    void signInPageAuthorizationAndLogoutAlternateReplicas() throws Exception {
        String username = register("clinicwave");
        String verifier = OAuthFlowTest.verifier();
        String authorize = authorizeRequest(verifier);

        // 1 (A): not signed in -> the authorization request is saved in the session, the browser sent to /login.
        assertThat(location(get(authorize))).isEqualTo("/login");
        String before = sessionCookie();
        assertThat(before).isNotNull();
        // 2 (B): the sign-in page, with the CSRF token of that same session.
        String token = csrf(get("/login"));
        // 3 (A): the form post, CSRF checked against the session B rendered; back to the saved authorization request.
        String resume = location(postForm("/login", Map.of("username", username, "password", "replica-pass-123",
                "tenant", "clinicwave", "_csrf", token)));
        assertThat(resume).startsWith("/oauth2/authorize?").contains("client_id=" + CLIENT);
        // Session fixation: signing in gave the browser another session id.
        assertThat(sessionCookie()).isNotNull().isNotEqualTo(before);
        // 4 (B): the SSO session signed in on A serves the authorization on B.
        JsonNode tokens = redeem(get(resume).headers().firstValue("Location").orElseThrow(), verifier);
        assertThat(tokens.get("access_token").asText()).isNotBlank();
        assertThat(tokens.get("id_token").asText()).isNotBlank();

        // The session lives in Redis under the deployment's namespace.
        StringRedisTemplate redis = replicaA.getBean(StringRedisTemplate.class);
        assertThat(redis.keys("clinicwave:default:auth:session:sessions:*")).isNotEmpty();

        // Logout on one replica ends the session everywhere: the next authorization (other replica) asks to sign in.
        String signedIn = sessionCookie();
        String logoutToken = csrf(get("/login"));
        assertThat(location(postForm("/logout", Map.of("_csrf", logoutToken)))).isEqualTo("/login?logout");
        HttpResponse<String> replay = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                .send(HttpRequest.newBuilder(URI.create(nextReplica() + authorizeRequest(OAuthFlowTest.verifier())))
                        .header("Cookie", "CW_AUTH_SESSION=" + signedIn).header("Accept", "text/html").GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(location(replay)).isEqualTo("/login");
    }

    @Test
    @Order(2)
    void federatedSignInStartsOnOneReplicaAndReturnsToTheOther() throws Exception {
        String verifier = OAuthFlowTest.verifier();
        String authorize = authorizeRequest(verifier);
        assertThat(location(get(authorize))).isEqualTo("/login");
        // "Sign in with ..." on one replica: the OAuth2 authorization request (state, nonce) is saved in the session.
        URI idpAuthorize = URI.create(get("/oauth2/authorization/test-idp").headers().firstValue("Location").orElseThrow());
        var params = UriComponentsBuilder.fromUri(idpAuthorize).build().getQueryParams();
        String subject = "ext-" + UUID.randomUUID();
        FederationIntegrationTests.stubToken(FederationIntegrationTests.idToken(FederationIntegrationTests.IDP_KEY,
                subject, "fed" + subject.substring(4, 12), decode(params.getFirst("nonce"))));
        // The IdP sends the browser back; the other replica finds the saved request and signs the user in.
        String resume = location(get("/login/oauth2/code/test-idp?code=c0de&state=" + params.getFirst("state")));
        assertThat(resume).startsWith("/oauth2/authorize?");
        JsonNode tokens = redeem(get(resume).headers().firstValue("Location").orElseThrow(), verifier);
        assertThat(tokens.get("access_token").asText()).isNotBlank();
        assertThat(replicaA.getBean(org.springframework.jdbc.core.simple.JdbcClient.class)
                .sql("select count(*) from federated_identity where subject = ?").param(subject).query(Long.class)
                .single()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void aSignInPagePostedAfterItsSessionExpiredAnswersSessionExpired() throws Exception {
        String username = register("clinicwave");
        String token = csrf(get("/login"));
        // The session expires in Redis while the page is open.
        String id = new String(java.util.Base64.getDecoder().decode(sessionCookie()), StandardCharsets.UTF_8);
        assertThat(replicaA.getBean(StringRedisTemplate.class).delete("clinicwave:default:auth:session:sessions:" + id))
                .isTrue();
        Map<String, String> form = Map.of("username", username, "password", "replica-pass-123", "tenant", "clinicwave",
                "_csrf", token);
        // A browser is sent back to the sign-in page, which says why.
        String back = location(postForm("/login", form));
        assertThat(back).isEqualTo("/login?error=session_expired");
        assertThat(get(back).body()).contains("Your sign-in page expired");
        // Another client gets the problem.
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(nextReplica()
                        + "/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json").header("Cookie", "CW_AUTH_SESSION=" + java.util.Base64.getEncoder()
                        .encodeToString(id.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).as(api.body()).isEqualTo(401);
        assertThat(JSON.readTree(api.body()).get("code").asText()).isEqualTo("SESSION_EXPIRED");
    }

    @Test
    @Order(4)
    void theSessionCookieIsHttpOnlyLaxAndSecureBehindHttps() throws Exception {
        for (String replica : bases) {
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(replica
                    + "/login")).header("X-Forwarded-Proto", "https").GET().build(), HttpResponse.BodyHandlers.ofString());
            String cookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("CW_AUTH_SESSION="))
                    .findFirst().orElseThrow();
            assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").contains("Secure");
        }
        HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(bases[0]
                + "/login")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                .startsWith("CW_AUTH_SESSION=").contains("HttpOnly").doesNotContain("Secure"));
    }

    @Test
    @Order(5)
    void withRedisGoneTheSignInPageAnswers503ProblemNot500() throws Exception {
        redisOfB.cut();
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(bases[1]
                + "/login")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(503);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(JSON.readTree(page.body()).get("code").asText()).isEqualTo("SECURITY_STATE_UNAVAILABLE");
        assertThat(page.headers().firstValue("Retry-After")).contains("5");
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
