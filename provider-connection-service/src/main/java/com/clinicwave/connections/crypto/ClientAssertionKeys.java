package com.clinicwave.connections.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * This service's own signing keys for {@code private_key_jwt} client authentication (RFC 7523): the first key of
 * the configured JWK set signs client assertions; all public keys are published so providers can verify them,
 * also during a key rollover.
 */
public final class ClientAssertionKeys {

    private static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(1);

    private final List<JWK> keys;

    public ClientAssertionKeys(@Nullable String jwksJson) {
        if (jwksJson == null || jwksJson.isBlank()) {
            this.keys = List.of();
            return;
        }
        try {
            this.keys = JWKSet.parse(jwksJson).getKeys();
        } catch (ParseException e) {
            throw new IllegalStateException("clinicwave.connections.client-assertion-jwks is not a JWK set", e);
        }
        for (JWK key : keys) {
            if (!key.isPrivate() || key.getKeyID() == null) {
                throw new IllegalStateException("Every client-assertion key needs a private part and a kid");
            }
        }
    }

    public boolean available() {
        return !keys.isEmpty();
    }

    /** The public keys, as a JWK set document. */
    public Map<String, Object> publicJwks() {
        return new JWKSet(keys.stream().map(JWK::toPublicJWK).toList()).toJSONObject(true);
    }

    /** A signed client assertion: iss = sub = the client id, aud = the provider's token endpoint, one-minute life. */
    public String clientAssertion(String clientId, String audience, Instant now) {
        if (keys.isEmpty()) {
            throw new IllegalStateException("No client-assertion key configured");
        }
        JWK key = keys.getFirst();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(clientId)
                .audience(audience)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ASSERTION_LIFETIME)))
                .build();
        try {
            JWSAlgorithm alg;
            JWSSigner signer;
            if (key instanceof RSAKey rsa) {
                alg = JWSAlgorithm.RS256;
                signer = new RSASSASigner(rsa);
            } else if (key instanceof ECKey ec) {
                alg = JWSAlgorithm.ES256;
                signer = new ECDSASigner(ec);
            } else {
                throw new IllegalStateException("Unsupported client-assertion key type " + key.getKeyType());
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT)
                    .build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign the client assertion", e);
        }
    }
}
