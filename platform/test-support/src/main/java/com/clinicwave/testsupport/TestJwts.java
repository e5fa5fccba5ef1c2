package com.clinicwave.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Access tokens shaped like auth-service's (RS256, {@code kid}, {@code iss}, {@code aud}, {@code sub}, {@code tid},
 * {@code roles}, {@code permissions}, {@code scope}, {@code sid}, {@code jti}), signed with a key made once per JVM.
 * Resource-server tests trust it through {@code clinicwave.security.jwt.jwk-set}, which test support sets for every
 * service configured with a {@code jwk-set-uri}.
 */
public final class TestJwts {

    public static final String ISSUER = "http://localhost:8080";
    public static final String AUDIENCE = "clinicwave-api";

    private static final RSAKey KEY = generate();

    private TestJwts() {
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID("test-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String jwkSetJson() {
        return new JWKSet(KEY.toPublicJWK()).toString();
    }

    /** A user's token in a tenant, with permissions (e.g. {@code connections:read}) and roles. */
    public static String user(String userId, String tenantId, List<String> permissions, List<String> roles) {
        return sign(new JWTClaimsSet.Builder()
                .subject(userId)
                .claim("tid", tenantId)
                .claim("permissions", permissions)
                .claim("roles", roles)
                .claim("scope", "openid")
                .claim("sid", UUID.randomUUID().toString())
                .build(), Duration.ofMinutes(10));
    }

    /** A service's client-credentials token: {@code sub} and {@code client_id} are the client, scopes as given. */
    public static String service(String clientId, List<String> scopes) {
        return sign(new JWTClaimsSet.Builder()
                .subject(clientId)
                .claim("client_id", clientId)
                .claim("scope", String.join(" ", scopes))
                .build(), Duration.ofMinutes(10));
    }

    /** Signs the given claims, adding issuer, audience, times and a jti unless present. */
    public static String sign(JWTClaimsSet claims, Duration lifetime) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder(claims);
        Map<String, Object> existing = claims.getClaims();
        if (!existing.containsKey("iss")) {
            builder.issuer(ISSUER);
        }
        if (!existing.containsKey("aud")) {
            builder.audience(AUDIENCE);
        }
        if (!existing.containsKey("iat")) {
            builder.issueTime(Date.from(now));
        }
        if (!existing.containsKey("nbf")) {
            builder.notBeforeTime(Date.from(now));
        }
        if (!existing.containsKey("exp")) {
            builder.expirationTime(Date.from(now.plus(lifetime)));
        }
        if (!existing.containsKey("jti")) {
            builder.jwtID(UUID.randomUUID().toString());
        }
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID())
                    .type(JOSEObjectType.JWT).build(), builder.build());
            jwt.sign(new RSASSASigner(KEY));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
