package com.clinicwave.gateway;

import com.clinicwave.testsupport.TestJwts;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * With auth-service unreachable: tokens already validated keep working until they expire (the verdict cache), new
 * tokens signed with a key the gateway already knows still verify (the JWKS is cached and outage tolerant), a token
 * naming an unknown key is refused, and API keys that were never exchanged get 503 {@code UPSTREAM_UNAVAILABLE}.
 */
class AuthServiceDownIntegrationTests extends GatewayTestSupport {

    @Autowired
    WebTestClient client;

    @Test
    void validatedTokensKeepWorkingWhileAuthServiceIsDown() throws Exception {
        String known = userToken();
        client.get().uri("/api/connections").headers(h -> h.setBearerAuth(known)).exchange().expectStatus().isOk();
        AUTH_DOWN.set(true);
        try {
            client.get().uri("/api/connections").headers(h -> h.setBearerAuth(known)).exchange()
                    .expectStatus().isOk();
            // A new token, signed with the key already fetched: verified from the cached JWKS.
            client.get().uri("/api/connections").headers(h -> h.setBearerAuth(userToken())).exchange()
                    .expectStatus().isOk();
            // A key the gateway has never seen cannot be fetched now: refused, never let through.
            RSAKey foreign = new RSAKeyGenerator(2048).keyID("rotated-" + UUID.randomUUID()).generate();
            Instant now = Instant.now();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(foreign.getKeyID()).build(),
                    new JWTClaimsSet.Builder().subject("u").issuer(TestJwts.ISSUER).audience(TestJwts.AUDIENCE)
                            .expirationTime(Date.from(now.plusSeconds(300))).build());
            jwt.sign(new RSASSASigner(foreign));
            client.get().uri("/api/connections").headers(h -> h.setBearerAuth(jwt.serialize())).exchange()
                    .expectStatus().value(status -> org.assertj.core.api.Assertions.assertThat(status).isIn(401, 503));
            // An API key not exchanged before cannot be checked.
            client.get().uri("/api/connections").header("X-API-Key", "cwk_other_" + UUID.randomUUID()).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.code").isEqualTo("UPSTREAM_UNAVAILABLE");
        } finally {
            AUTH_DOWN.set(false);
        }
    }
}
