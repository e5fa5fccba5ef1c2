package com.clinicwave.connections;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.clinicwave.testsupport.TestJwts;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one Spring context of the integration tests (same configuration everywhere, so it is shared): real
 * PostgreSQL, Redis and Kafka from test support, WireMock standing in for every provider, a token keyset that has
 * been rotated once (old key {@link #OLD_KEYSET} still decrypts, a new primary encrypts).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// WireMock plays every provider on http://localhost: the SSRF policy is off here, as in the local profile;
// ProviderUrlPolicyIntegrationTests turns it on (a subclass's properties win).
@TestPropertySource(properties = "clinicwave.provider-urls.enforced=false")
public abstract class IntegrationTestSupport {

    protected static final WireMockServer PROVIDERS = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    /** The keyset before rotation: only the old key, primary. */
    protected static final String OLD_KEYSET;
    /** The service's keyset: the old key plus a new primary. */
    protected static final String ROTATED_KEYSET;
    protected static final RSAKey ASSERTION_KEY;
    protected static final String TENANT = UUID.randomUUID().toString();
    protected static final String REDIRECT = "http://127.0.0.1:5173/connections/done";
    protected static final String MOBILE_REDIRECT = "com.clinicwave.companion:/connect";

    static {
        PROVIDERS.start();
        try {
            AeadConfig.register();
            KeysetHandle old = KeysetHandle.newBuilder()
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId().makePrimary())
                    .build();
            KeysetHandle.Builder rotated = KeysetHandle.newBuilder(old);
            rotated.getAt(0).setStatus(com.google.crypto.tink.KeyStatus.ENABLED);
            rotated.addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                    .withRandomId().makePrimary());
            OLD_KEYSET = TinkJsonProtoKeysetFormat.serializeKeyset(old, InsecureSecretKeyAccess.get());
            ROTATED_KEYSET = TinkJsonProtoKeysetFormat.serializeKeyset(rotated.build(), InsecureSecretKeyAccess.get());
            ASSERTION_KEY = new RSAKeyGenerator(2048).keyID("test-assertion-key").generate();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("clinicwave.connections.token-keyset", () -> ROTATED_KEYSET);
        registry.add("clinicwave.connections.client-assertion-jwks", () -> new JWKSet(ASSERTION_KEY).toString(false));
        registry.add("clinicwave.connections.redirect-allow-list",
                () -> "http://127.0.0.1:5173/," + MOBILE_REDIRECT);
        registry.add("clinicwave.connections.refresh.scheduler-enabled", () -> "false");
        registry.add("clinicwave.outbox.poll-interval", () -> "100ms");
        for (String provider : List.of("trellis", "epic", "cerner", "athena")) {
            String key = provider.equals("athena") ? "athenahealth" : provider;
            registry.add(provider.toUpperCase() + "_BASE_URL", () -> PROVIDERS.baseUrl() + "/" + key);
            registry.add(provider.toUpperCase() + "_CLIENT_SECRET", () -> "secret-" + key);
        }
    }

    @LocalServerPort
    protected int port;
    @Autowired
    protected JsonMapper json;
    @Autowired
    protected JdbcClient jdbc;

    protected static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    protected static String userToken(String userId) {
        return userToken(userId, TENANT);
    }

    protected static String userToken(String userId, String tenant) {
        return TestJwts.user(userId, tenant, List.of("connections:read", "connections:write"), List.of("patient"));
    }

    protected static String newUser() {
        return UUID.randomUUID().toString();
    }

    protected record Response(int status, JsonNode body, HttpResponse<String> raw) {
        String code() {
            return body.path("code").asString();
        }
    }

    protected Response get(String path, String token, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        return send(b, token, headers);
    }

    protected Response post(String path, String token, Object body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        return send(b, token, headers);
    }

    /** The number of the user's connections in the list (every status). */
    protected int connectionCount(String userId) {
        return get("/api/connections", userToken(userId)).body().path("connections").size();
    }

    protected Response delete(String path, String token) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), token);
    }

    protected Response send(HttpRequest.Builder b, String token, String... headers) {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode node = r.body() == null || r.body().isBlank() ? json.createObjectNode() : json.readTree(r.body());
            return new Response(r.statusCode(), node, r);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** Starts the flow as the user; returns the initiate answer. */
    protected Response initiate(String provider, String userId) {
        return post("/api/oauth/initiate", userToken(userId),
                Map.of("provider_key", provider, "consumer_id", userId, "redirect_url", REDIRECT));
    }

    protected static Map<String, String> query(String url) {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        String q = URI.create(url).getRawQuery();
        for (String pair : q.split("&")) {
            int i = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, i), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    protected static void stubCodeExchange(String provider, String code, String accessToken, String refreshToken,
            long expiresIn) {
        PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/" + provider + "/oauth2/token"))
                .withRequestBody(containing("code=" + code))
                .willReturn(okJson("""
                        {"access_token":"%s","token_type":"Bearer","expires_in":%d,"refresh_token":"%s",
                         "scope":"patient/*.read offline_access","patient":"patient-001"}
                        """.formatted(accessToken, expiresIn, refreshToken))));
    }

    /**
     * The whole connect flow as the user (the API client's path: the callback with the initiator's bearer token and
     * {@code Accept: application/json}), the provider answering with the given tokens; returns the connection id.
     */
    protected String connect(String provider, String userId, String accessToken, String refreshToken) {
        Response initiated = initiate(provider, userId);
        if (initiated.status() != 200) {
            throw new AssertionError("initiate: " + initiated.status() + " " + initiated.body());
        }
        String state = query(initiated.body().path("oauth_url").asString()).get("state");
        String code = "code-" + UUID.randomUUID();
        stubCodeExchange(provider, code, accessToken, refreshToken, 3600);
        Response callback = get("/api/oauth/callback?code=" + code + "&state=" + state, userToken(userId),
                "Accept", "application/json");
        if (callback.status() != 200) {
            throw new AssertionError("callback: " + callback.status() + " " + callback.body());
        }
        return callback.body().path("connection_id").asString();
    }
}
