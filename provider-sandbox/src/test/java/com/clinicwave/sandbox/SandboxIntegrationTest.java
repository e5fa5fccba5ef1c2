package com.clinicwave.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Spring context for every integration test: a movable clock, Cerner requiring PKCE, and a JWKS endpoint
 * (a JDK HTTP server) for Epic's {@code private_key_jwt} client.
 */
@SpringBootTest(properties = {
    "sandbox.public-base-url=http://localhost:9400",
    "sandbox.clients.cerner.require-pkce=true",
    "sandbox.clients.trellis.redirect-uris=https://app.example.test/callback",
    "logging.level.clinicwave.access=warn"
})
@AutoConfigureMockMvc
@Import(SandboxIntegrationTest.TestClock.class)
public abstract class SandboxIntegrationTest {

    protected static final String REDIRECT = "http://localhost:8080/api/oauth/callback";
    protected static final RSAKey CLIENT_KEY = newKey("epic-client-key");
    protected static final RSAKey OTHER_KEY = newKey("epic-client-key");
    private static final HttpServer JWKS_SERVER = startJwksServer();
    protected static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    protected MockMvc mvc;

    @Autowired
    protected MutableClock clock;

    @DynamicPropertySource
    static void clientJwks(DynamicPropertyRegistry registry) {
        registry.add("sandbox.clients.epic.jwks-url",
                () -> "http://127.0.0.1:" + JWKS_SERVER.getAddress().getPort() + "/jwks");
    }

    @AfterEach
    void resetSandbox() throws Exception {
        mvc.perform(post("/sandbox/admin/reset"));
    }

    /** Runs the automation shortcut and returns the redirect's query parameters. */
    protected Map<String, String> authorize(String provider, String patient, String decision, String challenge)
            throws Exception {
        var request = get("/" + provider + "/oauth2/authorize").param("response_type", "code")
                .param("client_id", "clinicwave-" + provider).param("redirect_uri", REDIRECT)
                .param("scope", "launch/patient patient/*.read offline_access openid fhirUser")
                .param("state", "st-" + UUID.randomUUID()).param("sandbox_patient", patient)
                .param("sandbox_decision", decision);
        if (challenge != null) {
            request.param("code_challenge", challenge).param("code_challenge_method", "S256");
        }
        MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(302);
        return query(response.getHeader(HttpHeaders.LOCATION));
    }

    protected static Map<String, String> query(String location) {
        return UriComponentsBuilder.fromUri(URI.create(location)).build().getQueryParams().toSingleValueMap()
                .entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        e -> java.net.URLDecoder.decode(e.getValue(), StandardCharsets.UTF_8)));
    }

    /** A code for the patient, exchanged with client_secret_basic and PKCE. */
    protected JsonNode connect(String provider, String patient) throws Exception {
        String verifier = verifier();
        String code = authorize(provider, patient, "approve", challenge(verifier)).get("code");
        MockHttpServletResponse response = mvc.perform(post("/" + provider + "/oauth2/token")
                .header(HttpHeaders.AUTHORIZATION, basic(provider)).param("grant_type", "authorization_code")
                .param("code", code).param("redirect_uri", REDIRECT).param("code_verifier", verifier))
                .andReturn().getResponse();
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        return JSON.readTree(response.getContentAsString());
    }

    protected static String basic(String provider) {
        return "Basic " + Base64.getEncoder().encodeToString(("clinicwave-" + provider + ":sandbox-secret-" + provider)
                .getBytes(StandardCharsets.UTF_8));
    }

    protected static String verifier() {
        return UUID.randomUUID() + "-" + UUID.randomUUID();
    }

    protected static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    protected String clientAssertion(RSAKey key, String clientId, String audience) throws JOSEException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(clock.instant()))
                .expirationTime(Date.from(clock.instant().plusSeconds(120))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static RSAKey newKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer startJwksServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] body = new JWKSet(CLIENT_KEY.toPublicJWK()).toString(true).getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class TestClock {

        @Bean
        MutableClock clock() {
            return new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
        }
    }

    protected static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
