package com.clinicwave.auth.config;

import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Password and secret hashing: argon2id (by default 7 MiB, 5 iterations — Keycloak's default cost; native libargon2
 * where it loads, see {@link Argon2idEncoder}) for user passwords,
 * a salted SHA-256 for high-entropy machine secrets (client secrets), bcrypt accepted for imported hashes; hashes
 * with an older encoding are upgraded on the next successful login.
 */
@Configuration(proxyBeanMethods = false)
class PasswordConfig {

    @Bean
    PasswordEncoder passwordEncoder(AuthProperties properties) {
        AuthProperties.Passwords cost = properties.passwords();
        Map<String, PasswordEncoder> encoders = Map.of(
                "argon2", new Argon2idEncoder(cost.argon2MemoryKib(), cost.argon2Iterations(), cost.nativeArgon2()),
                "bcrypt", new BCryptPasswordEncoder(),
                SecretHashEncoder.ID, new SecretHashEncoder());
        DelegatingPasswordEncoder delegating = new DelegatingPasswordEncoder("argon2", encoders);
        return new PasswordEncoder() {
            @Override
            public String encode(CharSequence raw) {
                return delegating.encode(raw);
            }

            @Override
            public boolean matches(CharSequence raw, String encoded) {
                return delegating.matches(raw, encoded);
            }

            /** Machine secrets keep their fast hash: "upgrading" them to argon2 would cap the token endpoint. */
            @Override
            public boolean upgradeEncoding(String encoded) {
                return encoded != null && !encoded.startsWith("{" + SecretHashEncoder.ID + "}")
                        && delegating.upgradeEncoding(encoded);
            }
        };
    }
}
