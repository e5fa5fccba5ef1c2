package com.clinicwave.auth.config;

import com.clinicwave.platform.crypto.Hashes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Salted SHA-256 for generated, high-entropy secrets (OAuth client secrets): a slow hash adds nothing against
 * guessing a 256-bit secret but would cap the token endpoint. Compared in constant time. Never for passwords.
 */
public final class SecretHashEncoder implements PasswordEncoder {

    public static final String ID = "sha256";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String encode(CharSequence raw) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        String saltText = Base64.getEncoder().withoutPadding().encodeToString(salt);
        return saltText + "$" + digest(saltText, raw);
    }

    @Override
    public boolean matches(CharSequence raw, String encoded) {
        if (raw == null || encoded == null) {
            return false;
        }
        int dollar = encoded.indexOf('$');
        if (dollar < 0) {
            return false;
        }
        String expected = encoded.substring(dollar + 1);
        String actual = digest(encoded.substring(0, dollar), raw);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                actual.getBytes(StandardCharsets.US_ASCII));
    }

    static String digest(String salt, CharSequence raw) {
        return Hashes.sha256Hex(salt + raw);
    }

    /** Unsalted SHA-256 hex of a token, for lookups of high-entropy tokens (API keys, refresh tokens). */
    public static String sha256(String value) {
        return Hashes.sha256Hex(value);
    }
}
