package com.clinicwave.athena.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clinicwave.athena.config.AthenaProperties;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenSealerTests {

    private static AthenaProperties properties(String key) {
        return new AthenaProperties(URI.create("http://provider-connection-service"),
                Duration.ofSeconds(30), Duration.ofSeconds(60), key,
                new AthenaProperties.Upstream(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2),
                        Duration.ofSeconds(5), 3, Duration.ofMillis(200), Duration.ofSeconds(1), 10,
                        Duration.ofSeconds(1), 10, Duration.ZERO, 50, 20, 10, Duration.ofMinutes(1)));
    }

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void aSealedValueOpensOnlyForItsConnectionAndUnderItsKey() {
        TokenSealer sealer = new TokenSealer(properties(KEY));
        String sealed = sealer.seal("{\"access_token\":\"secret\"}", "connection-1");

        assertThat(sealed).doesNotContain("secret");
        assertThat(sealer.open(sealed, "connection-1")).isEqualTo("{\"access_token\":\"secret\"}");
        assertThat(new TokenSealer(properties(KEY)).open(sealed, "connection-1")).as("shared key").isNotNull();
        assertThat(sealer.open(sealed, "connection-2")).isNull();
        assertThat(new TokenSealer(properties(null)).open(sealed, "connection-1")).isNull();
        assertThat(sealer.open("not base64!", "connection-1")).isNull();
    }

    @Test
    void aKeyOfTheWrongSizeIsRefusedAtStart() {
        assertThatThrownBy(() -> new TokenSealer(properties(Base64.getEncoder().encodeToString(new byte[8]))))
                .isInstanceOf(IllegalStateException.class);
    }
}
