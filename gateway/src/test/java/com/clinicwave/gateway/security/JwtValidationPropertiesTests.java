package com.clinicwave.gateway.security;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JwtValidationPropertiesTests {

    @Test
    void symmetricOrUnsignedAlgorithmsCannotBeConfigured() {
        for (String algorithm : List.of("none", "HS256", "hs512")) {
            assertThatIllegalArgumentException().isThrownBy(() -> properties(List.of("RS256", algorithm)));
        }
        assertThatNoException().isThrownBy(() -> properties(List.of("RS256", "ES256")));
    }

    private static JwtValidationProperties properties(List<String> algorithms) {
        return new JwtValidationProperties("http://localhost/jwks", "http://localhost:8080", List.of("clinicwave-api"),
                Duration.ofSeconds(30), algorithms, Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofHours(1),
                Duration.ofSeconds(2), 1000, 8192);
    }
}
