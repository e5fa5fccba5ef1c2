package com.clinicwave.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.clinicwave.testsupport.TestJwts;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

class TokenValidationIntegrationTests extends GatewayTestSupport {

    @Autowired
    WebTestClient client;

    @Autowired
    MeterRegistry meters;

    @Test
    void aValidTokenIsRelayedToTheServiceAndItsVerdictIsCached() {
        String token = userToken();
        double hitsBefore = cacheCount("hit");

        get("/api/connections", token).expectStatus().isOk();
        assertThat(SERVICES.last().headers().getFirst("Authorization")).isEqualTo("Bearer " + token);
        get("/api/connections", token).expectStatus().isOk();

        assertThat(cacheCount("hit")).isGreaterThan(hitsBefore);
    }

    @Test
    void aRequestWithoutTokenIsRefused() {
        client.get().uri("/api/connections").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer")
                .expectBody().jsonPath("$.code").isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void anExpiredTokenIsRefusedAsExpired() {
        Instant past = Instant.now().minus(Duration.ofMinutes(10));
        String token = TestJwts.sign(claims().issueTime(Date.from(past.minusSeconds(600)))
                .notBeforeTime(Date.from(past.minusSeconds(600))).expirationTime(Date.from(past)).build(),
                Duration.ofMinutes(5));
        refused(token, "TOKEN_EXPIRED");
    }

    @Test
    void aTokenNotValidYetIsRefused() {
        Instant future = Instant.now().plus(Duration.ofMinutes(10));
        String token = TestJwts.sign(claims().notBeforeTime(Date.from(future))
                .expirationTime(Date.from(future.plusSeconds(600))).build(), Duration.ofMinutes(5));
        refused(token, "TOKEN_INVALID");
    }

    @Test
    void aTamperedTokenIsRefused() {
        String[] parts = userToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
        String forged = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.replace("\"patient\"", "\"admin\"").getBytes());
        refused(parts[0] + "." + forged + "." + parts[2], "TOKEN_INVALID");
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String token = new PlainJWT(validClaims()).serialize();
        refused(token, "TOKEN_INVALID");
    }

    @Test
    void aTokenSignedWithHmacKeyedByThePublicKeyIsRefused() throws Exception {
        RSAKey publicKey = JWKSet.parse(TestJwts.jwkSetJson()).getKeys().getFirst().toRSAKey();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(publicKey.getKeyID()).build(),
                validClaims());
        jwt.sign(new MACSigner(publicKey.toRSAPublicKey().getEncoded()));
        refused(jwt.serialize(), "TOKEN_INVALID");
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() throws Exception {
        RSAKey foreign = new RSAKeyGenerator(2048).keyID("foreign-" + UUID.randomUUID()).generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(foreign.getKeyID()).build(),
                validClaims());
        jwt.sign(new RSASSASigner(foreign));
        refused(jwt.serialize(), "TOKEN_INVALID");
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        refused(TestJwts.sign(claims().issuer("https://evil.example").build(), Duration.ofMinutes(5)),
                "TOKEN_INVALID");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        refused(TestJwts.sign(claims().audience("another-api").build(), Duration.ofMinutes(5)), "TOKEN_INVALID");
    }

    @Test
    void garbageIsRefused() {
        refused("not-a-jwt", "TOKEN_INVALID");
        refused("a".repeat(9000), "TOKEN_INVALID");
    }

    @Test
    void permissionsAreCheckedCoarselyForAdministration() {
        client.get().uri("/api/admin/providers").headers(h -> h.setBearerAuth(userToken())).exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("INSUFFICIENT_PERMISSIONS");
        // The catalog is shared by every tenant: a tenant admin's providers:admin is not enough.
        String tenantAdmin = TestJwts.user(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                List.of("providers:admin", "users:admin"), List.of("tenant_admin"));
        get("/api/admin/providers", tenantAdmin).expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("INSUFFICIENT_PERMISSIONS");
        // Re-encryption touches every tenant's connections: not a tenant admin's connections:admin either.
        String connectionsAdmin = TestJwts.user(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                List.of("connections:admin"), List.of("tenant_admin"));
        client.post().uri("/api/admin/connections/re-encrypt").headers(h -> h.setBearerAuth(connectionsAdmin))
                .exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("INSUFFICIENT_PERMISSIONS");
        String platformAdmin = TestJwts.user(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                List.of("providers:platform-admin"), List.of("platform_admin"));
        get("/api/admin/providers", platformAdmin).expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec get(String path, String token) {
        return client.get().uri(path).headers(h -> h.setBearerAuth(token)).exchange();
    }

    private void refused(String token, String code) {
        get("/api/connections", token)
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value("WWW-Authenticate", v -> assertThat(v).startsWith("Bearer error=\"invalid_token\""))
                .expectBody()
                .jsonPath("$.code").isEqualTo(code)
                .jsonPath("$.status").isEqualTo(401);
    }

    private double cacheCount(String result) {
        return meters.get("gateway.token.cache").tag("result", result).counter().count();
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject(UUID.randomUUID().toString())
                .claim("tid", UUID.randomUUID().toString())
                .claim("permissions", List.of("connections:read"));
    }

    private static JWTClaimsSet validClaims() {
        Instant now = Instant.now();
        return claims().issuer(TestJwts.ISSUER).audience(TestJwts.AUDIENCE).issueTime(Date.from(now))
                .notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString()).build();
    }
}
