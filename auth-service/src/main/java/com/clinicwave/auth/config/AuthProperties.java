package com.clinicwave.auth.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * auth-service settings ({@code clinicwave.auth.*}): token lifetimes, protection limits, keys, seed data.
 * {@code signUpUrl}: where the sign-in page's "Create an account" link goes (the patient app's sign-up screen); no
 * link when unset.
 */
@ConfigurationProperties("clinicwave.auth")
public record AuthProperties(
        @DefaultValue("10m") Duration accessTokenTtl,
        @DefaultValue("30d") Duration refreshTokenAbsoluteLifetime,
        @DefaultValue("5m") Duration apiKeyTokenTtl,
        @DefaultValue("clinicwave") String defaultTenant,
        @DefaultValue Lockout lockout,
        @DefaultValue RateLimit rateLimit,
        @DefaultValue Keys keys,
        @DefaultValue Seed seed,
        @DefaultValue Federation federation,
        @DefaultValue Passwords passwords,
        @Nullable String signUpUrl) {

    /**
     * Argon2id cost for user passwords (default: 7 MiB, 5 iterations, 1 lane — Keycloak's default); {@code nativeArgon2}
     * computes it with libargon2 where the library loads (BouncyCastle otherwise; same hashes either way).
     * {@code maxConcurrentHashes} bounds the hashes computed at once (0: one per CPU the JVM sees); a hash that waits
     * longer than {@code maxHashWait} for a slot is refused with 503 {@code PASSWORD_HASHING_BUSY} and
     * {@code Retry-After} (a Resilience4j semaphore bulkhead, {@code password-hashing}).
     */
    public record Passwords(@DefaultValue("7168") int argon2MemoryKib, @DefaultValue("5") int argon2Iterations,
            @DefaultValue("true") boolean nativeArgon2, @DefaultValue("0") int maxConcurrentHashes,
            @DefaultValue("2s") Duration maxHashWait) {

        /** The configured bound, or the number of CPUs when it is 0 (or less). */
        public int effectiveMaxConcurrentHashes() {
            return maxConcurrentHashes > 0 ? maxConcurrentHashes : Runtime.getRuntime().availableProcessors();
        }
    }

    /** Lock an account after {@code maxFailures} failed logins within {@code window}, for {@code duration}. */
    public record Lockout(@DefaultValue("5") int maxFailures, @DefaultValue("15m") Duration window,
            @DefaultValue("15m") Duration duration) {
    }

    /** Login attempts allowed per client IP and per username within {@code window}. */
    public record RateLimit(@DefaultValue("30") int perIp, @DefaultValue("10") int perUsername,
            @DefaultValue("1m") Duration window) {
    }

    /**
     * Signing keys: {@code encryptionKey} is the base64 AES-256 master key that encrypts private keys at rest
     * (AUTH_KEY_ENCRYPTION_KEY); a new key is published {@code publishLead} before it signs, rotated every
     * {@code rotationInterval}, and an old key stays published for {@code retention} after it stops signing.
     * {@code accessTokenAlgorithm}: ES256 (ECDSA P-256, the default: about 7× cheaper to sign than RSA, 10× dearer
     * to verify, which every verifier here offsets by caching verified tokens) or RS256 (RSA 2048); ID tokens are
     * always RS256.
     */
    public record Keys(@Nullable String encryptionKey, @DefaultValue("10m") Duration publishLead,
            @DefaultValue("30d") Duration rotationInterval, @DefaultValue("1h") Duration retention,
            @DefaultValue("ES256") String accessTokenAlgorithm) {
    }

    /**
     * Demo data (local profile and tests): tenants, users and OAuth clients with their secrets.
     * {@code companionRedirectUris} / {@code companionPostLogoutRedirectUris}: the exact redirect and post-logout
     * URIs of the {@code companion-web} public client (the app at http://localhost:5173 and http://127.0.0.1:5173).
     */
    public record Seed(@DefaultValue("false") boolean enabled, @Nullable String demoServiceSecret,
            @Nullable String gatewaySecret, @Nullable String athenaServiceSecret,
            @Nullable String claimsServiceSecret, @DefaultValue("http://127.0.0.1:5173/callback") List<String> companionRedirectUris,
            @Nullable String platformOpsSecret,
            @DefaultValue("http://127.0.0.1:5173/signed-out") List<String> companionPostLogoutRedirectUris) {
    }

    /** External OIDC providers: client registration id → tenant key whose users sign in through it. */
    public record Federation(@DefaultValue Map<String, String> tenants) {
    }
}
