package com.clinicwave.auth.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
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
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt.getBytes(StandardCharsets.UTF_8));
            sha.update(raw.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Unsalted SHA-256 hex of a token, for lookups of high-entropy tokens (API keys, refresh tokens). */
    public static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
