package com.clinicwave.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;

/** The verified-token cache saves signature checks only: time and revocation are checked on every use. */
class VerifiedJwtCacheTests {

    private final AtomicInteger verifications = new AtomicInteger();
    private final AtomicBoolean revoked = new AtomicBoolean();

    private JwtDecoder verifying(Instant expiresAt) {
        return token -> {
            verifications.incrementAndGet();
            if (!token.startsWith("good")) {
                throw new BadJwtException("bad signature");
            }
            return Jwt.withTokenValue(token).header("alg", "RS256").subject("s").jti("j-" + token)
                    .issuedAt(expiresAt.minusSeconds(600)).expiresAt(expiresAt).build();
        };
    }

    private VerifiedJwtCache cache(Instant expiresAt) {
        return new VerifiedJwtCache(verifying(expiresAt), new DelegatingOAuth2TokenValidator<Jwt>(
                new JwtTimestampValidator(Duration.ZERO),
                jwt -> revoked.get() ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                        "The token has been revoked", null)) : OAuth2TokenValidatorResult.success()),
                2, Duration.ofMinutes(5));
    }

    @Test
    void aTokenSeenBeforeIsNotVerifiedAgainButRevocationIsCheckedEveryTime() {
        VerifiedJwtCache cache = cache(Instant.now().plusSeconds(300));
        assertThat(cache.decode("good-1").getSubject()).isEqualTo("s");
        assertThat(cache.decode("good-1").getId()).isEqualTo("j-good-1");
        assertThat(verifications).hasValue(1);
        revoked.set(true);
        assertThatThrownBy(() -> cache.decode("good-1")).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("revoked");
    }

    @Test
    void invalidTokensAreNeverRemembered() {
        VerifiedJwtCache cache = cache(Instant.now().plusSeconds(300));
        assertThatThrownBy(() -> cache.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> cache.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThat(verifications).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void anExpiredTokenIsRefusedEvenWhenCached() {
        VerifiedJwtCache cache = cache(Instant.now().minusSeconds(1));
        // The verifying decoder here does not check time; the every-use validator does.
        assertThatThrownBy(() -> cache.decode("good-1")).isInstanceOf(JwtValidationException.class);
        assertThatThrownBy(() -> cache.decode("good-1")).isInstanceOf(JwtValidationException.class);
    }

    @Test
    void theCacheIsBounded() {
        VerifiedJwtCache cache = cache(Instant.now().plusSeconds(300));
        for (int i = 0; i < 50; i++) {
            cache.decode("good-" + i);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(2);
    }
}
