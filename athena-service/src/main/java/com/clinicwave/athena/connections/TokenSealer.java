package com.clinicwave.athena.connections;

import com.clinicwave.athena.config.AthenaProperties;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * AES-256-GCM for provider tokens at rest in Redis, bound to the connection id (associated data), so a Redis dump
 * or a copied entry gives nothing usable. The key comes from {@code clinicwave.athena.token-cache-key} (base64,
 * shared by all instances); without one each instance makes its own and simply caches for itself.
 */
@Component
class TokenSealer {

    private static final Logger log = LoggerFactory.getLogger(TokenSealer.class);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    TokenSealer(AthenaProperties properties) {
        this.key = key(properties.tokenCacheKey());
    }

    private static SecretKey key(@Nullable String configured) {
        if (configured != null && !configured.isBlank()) {
            byte[] bytes = Base64.getDecoder().decode(configured.trim());
            if (bytes.length != 32) {
                throw new IllegalStateException("clinicwave.athena.token-cache-key must be 32 bytes, base64");
            }
            return new SecretKeySpec(bytes, "AES");
        }
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            log.info("No token cache key configured: provider tokens are cached under a key of this instance only");
            return generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String seal(String plaintext, String connectionId) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(connectionId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
                    .put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The plaintext, or null when the value was sealed under another key or for another connection. */
    @Nullable String open(String sealed, String connectionId) {
        try {
            byte[] bytes = Base64.getDecoder().decode(sealed);
            if (bytes.length <= IV_BYTES) {
                return null;
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
            cipher.updateAAD(connectionId.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return null;
        }
    }
}
