package com.clinicwave.connections.crypto;

import com.clinicwave.connections.config.ConnectionsProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The token cipher and the client-assertion keys, both built from configuration (never generated at start). */
@Configuration(proxyBeanMethods = false)
class CryptoConfig {

    @Bean
    TokenCipher tokenCipher(ConnectionsProperties properties) {
        if (properties.tokenKeyset() == null || properties.tokenKeyset().isBlank()) {
            throw new IllegalStateException("clinicwave.connections.token-keyset (CONNECTIONS_TOKEN_KEYSET) is required");
        }
        return new TokenCipher(properties.tokenKeyset());
    }

    @Bean
    ClientAssertionKeys clientAssertionKeys(ConnectionsProperties properties) {
        return new ClientAssertionKeys(properties.clientAssertionJwks());
    }
}
