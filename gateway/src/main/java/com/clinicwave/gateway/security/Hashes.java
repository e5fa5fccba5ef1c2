package com.clinicwave.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** SHA-256 of credentials: caches are keyed by it, so no token or key is ever held as a map key in clear. */
public final class Hashes {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private Hashes() {
    }

    public static String sha256(String value) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
    }
}
