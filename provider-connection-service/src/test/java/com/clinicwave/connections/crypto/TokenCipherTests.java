package com.clinicwave.connections.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TokenCipherTests {

    @Test
    void rotationKeepsOldCiphertextsReadableAndEncryptsWithTheNewPrimary() throws Exception {
        AeadConfig.register();
        KeysetHandle old = KeysetHandle.newBuilder().addEntry(KeysetHandle
                .generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM).withRandomId().makePrimary()).build();
        KeysetHandle rotated = KeysetHandle.newBuilder(old).addEntry(KeysetHandle
                .generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM).withRandomId().makePrimary()).build();
        TokenCipher before = new TokenCipher(TinkJsonProtoKeysetFormat.serializeKeyset(old, InsecureSecretKeyAccess.get()));
        TokenCipher after = new TokenCipher(TinkJsonProtoKeysetFormat.serializeKeyset(rotated,
                InsecureSecretKeyAccess.get()));

        byte[] legacy = before.encrypt("token", "row-1");
        assertThat(after.decrypt(legacy, "row-1")).isEqualTo("token");
        assertThat(after.isUnderPrimary(legacy)).isFalse();
        byte[] fresh = after.encrypt("token", "row-1");
        assertThat(after.isUnderPrimary(fresh)).isTrue();
        assertThat(new String(fresh, StandardCharsets.ISO_8859_1)).doesNotContain("token");
        assertThatThrownBy(() -> before.decrypt(fresh, "row-1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> after.decrypt(fresh, "row-2")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anInvalidKeysetIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> new TokenCipher("{\"secret\":\"do-not-print\"}"))
                .isInstanceOf(IllegalStateException.class)
                .message().doesNotContain("do-not-print");
    }
}
