package com.clinicwave.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HashesTests {

    @Test
    void knownVectors() throws Exception {
        assertThat(Hashes.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Hashes.sha256Hex("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        // RFC 7636, appendix B: the S256 code challenge of its code verifier.
        assertThat(Hashes.sha256Base64Url("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void nonAsciiAndLongInputHashTheirUtf8Bytes() throws Exception {
        for (String value : new String[] {"Zoë — 患者", "x".repeat(8192), "y".repeat(8193), "a\u0000b"}) {
            byte[] expected = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            assertThat(Hashes.sha256(value)).as(value.length() + " chars").isEqualTo(expected);
            assertThat(Hashes.sha256Hex(value)).isEqualTo(HexFormat.of().formatHex(expected));
            assertThat(Hashes.sha256Base64Url(value))
                    .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(expected));
        }
        // The per-thread digest is reset between calls.
        assertThat(Hashes.sha256Hex("abc")).isEqualTo(Hashes.sha256Hex("abc"));
    }
}
