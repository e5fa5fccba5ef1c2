package com.clinicwave.sandbox.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The key the simulated servers sign ID tokens with. A simulator's key is made at start: tokens it signed do not
 * outlive a restart, exactly like its in-memory grants.
 */
@Component
public class SigningKeys {

    private final RSAKey key;
    private final RSASSASigner signer;

    public SigningKeys() {
        try {
            key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyID("sandbox-" + UUID.randomUUID()).generate();
            signer = new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot create the sandbox signing key", e);
        }
    }

    public String sign(JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign a sandbox token", e);
        }
        return jwt.serialize();
    }

    /** The public JWK set, as JSON-ready maps. */
    public Map<String, Object> publicJwkSet() {
        return new JWKSet(key.toPublicJWK()).toJSONObject(true);
    }
}
