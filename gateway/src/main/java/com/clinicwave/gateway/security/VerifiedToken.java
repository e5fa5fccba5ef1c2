package com.clinicwave.gateway.security;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * The cached verdict on one access token: who it authenticates and until when, and the ids a revocation can name
 * (token {@code jti}, session {@code sid}, {@code api_key_id}).
 */
public record VerifiedToken(JwtAuthenticationToken authentication, Instant expiresAt, @Nullable String jti,
        @Nullable String sid, @Nullable String apiKeyId) {

    public String tokenValue() {
        return authentication.getToken().getTokenValue();
    }

    public String principal() {
        return authentication.getName();
    }
}
