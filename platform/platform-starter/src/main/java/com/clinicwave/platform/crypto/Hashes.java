package com.clinicwave.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * SHA-256 of strings (UTF-8), as lower-case hex (stored lookups: token and key hashes, audit chains) or unpadded
 * base64url (cache keys, PKCE {@code S256}). One digest per thread, and credentials that are ASCII (tokens, keys) are
 * hashed without copying, so the gateway's per-request cache lookups allocate only the result.
 */
public final class Hashes {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    });

    /** Scratch space for ASCII input. */
    private static final ThreadLocal<byte[]> ASCII = ThreadLocal.withInitial(() -> new byte[8192]);

    private Hashes() {
    }

    /** SHA-256 of the UTF-8 bytes of {@code value}. */
    public static byte[] sha256(String value) {
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
        return digest.digest();
    }

    /** SHA-256 of the UTF-8 bytes, lower-case hex (64 characters; what PostgreSQL's {@code sha256()} gives too). */
    public static String sha256Hex(String value) {
        return HexFormat.of().formatHex(sha256(value));
    }

    /** SHA-256 of the UTF-8 bytes, base64url without padding (43 characters; PKCE {@code S256}). */
    public static String sha256Base64Url(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(value));
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
