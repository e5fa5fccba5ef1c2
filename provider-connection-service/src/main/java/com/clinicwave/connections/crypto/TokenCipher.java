package com.clinicwave.connections.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import org.jspecify.annotations.Nullable;

/**
 * Encrypts provider tokens and client secrets with a Tink AEAD keyset. The keyset's primary key encrypts; every
 * enabled key decrypts, so a rotated keyset (new primary added, old keys kept) still reads old ciphertexts until
 * they are re-encrypted. The associated data binds a ciphertext to its row, so it cannot be moved to another one.
 */
public final class TokenCipher {

    private static final int TINK_PREFIX_SIZE = 5;

    private final Aead aead;
    private final int primaryKeyId;

    public TokenCipher(String keysetJson) {
        try {
            AeadConfig.register();
            KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(keysetJson, InsecureSecretKeyAccess.get());
            this.aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
            this.primaryKeyId = handle.getPrimary().getId();
        } catch (GeneralSecurityException | RuntimeException e) {
            // Never echo the keyset: it is the secret.
            throw new IllegalStateException("The token keyset (clinicwave.connections.token-keyset) is not a valid "
                    + "Tink AEAD JSON keyset", e);
        }
    }

    public byte[] encrypt(String plaintext, String associatedData) {
        try {
            return aead.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), ad(associatedData));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encryption failed", e);
        }
    }

    public @Nullable byte[] encryptNullable(@Nullable String plaintext, String associatedData) {
        return plaintext == null ? null : encrypt(plaintext, associatedData);
    }

    public String decrypt(byte[] ciphertext, String associatedData) {
        try {
            return new String(aead.decrypt(ciphertext, ad(associatedData)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Decryption failed: unknown key or tampered ciphertext", e);
        }
    }

    public @Nullable String decryptNullable(@Nullable byte[] ciphertext, String associatedData) {
        return ciphertext == null ? null : decrypt(ciphertext, associatedData);
    }

    /** True when the ciphertext was made with the current primary key (Tink prefix: 0x01 then the 4-byte key id). */
    public boolean isUnderPrimary(@Nullable byte[] ciphertext) {
        if (ciphertext == null || ciphertext.length < TINK_PREFIX_SIZE || ciphertext[0] != 1) {
            return ciphertext == null;
        }
        return ByteBuffer.wrap(ciphertext, 1, 4).getInt() == primaryKeyId;
    }

    public int primaryKeyId() {
        return primaryKeyId;
    }

    private static byte[] ad(String associatedData) {
        return associatedData.getBytes(StandardCharsets.UTF_8);
    }
}
