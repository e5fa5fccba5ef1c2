package com.clinicwave.auth.config;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 * with an older encoding are upgraded on the next successful login. Every argon2id computation (login, registration,
 * password change, administrators' and bootstrap's new passwords, any argon2-hashed client secret) takes a slot of
 * the {@code password-hashing} bulkhead.
 */
@Configuration(proxyBeanMethods = false)
class PasswordConfig {

    /** The bound on argon2id hashes in flight; metrics {@code resilience4j_bulkhead_*{name="password-hashing"}}. */
    @Bean
    Bulkhead passwordHashingBulkhead(AuthProperties properties, MeterRegistry meters) {
        AuthProperties.Passwords passwords = properties.passwords();
        BulkheadRegistry registry = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(passwords.effectiveMaxConcurrentHashes())
                .maxWaitDuration(passwords.maxHashWait())
                .build());
        TaggedBulkheadMetrics.ofBulkheadRegistry(registry).bindTo(meters);
        Bulkhead bulkhead = registry.bulkhead("password-hashing");
        Counter refused = Counter.builder("auth.password_hashing.refused")
                .description("Password hashes refused with 503 PASSWORD_HASHING_BUSY: no slot within the wait")
                .register(meters);
        bulkhead.getEventPublisher().onCallRejected(e -> refused.increment());
        return bulkhead;
    }

    @Bean
    PasswordEncoder passwordEncoder(AuthProperties properties, Bulkhead passwordHashingBulkhead) {
        AuthProperties.Passwords cost = properties.passwords();
        Map<String, PasswordEncoder> encoders = Map.of(
                "argon2", new Argon2idEncoder(cost.argon2MemoryKib(), cost.argon2Iterations(), cost.nativeArgon2(),
                        passwordHashingBulkhead),
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
