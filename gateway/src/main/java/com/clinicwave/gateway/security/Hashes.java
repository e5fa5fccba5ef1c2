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

    /** Scratch space for ASCII credentials (tokens, keys), so hashing one allocates only the result. */
    private static final ThreadLocal<byte[]> ASCII = ThreadLocal.withInitial(() -> new byte[8192]);

    public static String sha256(String value) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        int length = value.length();
        byte[] scratch = ASCII.get();
        if (length <= scratch.length && isAscii(value, length)) {
            for (int i = 0; i < length; i++) {
                scratch[i] = (byte) value.charAt(i);
            }
            digest.update(scratch, 0, length);
        } else {
            digest.update(value.getBytes(StandardCharsets.UTF_8));
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest.digest());
    }

    private static boolean isAscii(String value, int length) {
        for (int i = 0; i < length; i++) {
            if (value.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
