package com.clinicwave.auth.keys;

import com.clinicwave.auth.config.AuthProperties;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/** AES-256-GCM encryption of private signing keys at rest under the master key AUTH_KEY_ENCRYPTION_KEY. */
@Component
class KeyEncryption {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    KeyEncryption(AuthProperties properties) {
        String encoded = properties.keys().encryptionKey();
        if (encoded == null || encoded.isBlank()) {
            throw new IllegalStateException("clinicwave.auth.keys.encryption-key (AUTH_KEY_ENCRYPTION_KEY) is required");
        }
        byte[] raw = Base64.getDecoder().decode(encoded.trim());
        if (raw.length != 32) {
            throw new IllegalStateException("AUTH_KEY_ENCRYPTION_KEY must be 32 bytes, base64 encoded");
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    String encrypt(String plaintext, String associatedData) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Key encryption failed", e);
        }
    }

    String decrypt(String ciphertext, String associatedData) {
        try {
            byte[] all = Base64.getDecoder().decode(ciphertext);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A signing key cannot be decrypted: wrong AUTH_KEY_ENCRYPTION_KEY?", e);
        }
    }
}
