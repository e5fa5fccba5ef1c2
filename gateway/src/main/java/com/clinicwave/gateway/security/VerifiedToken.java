package com.clinicwave.gateway.security;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * The cached verdict on one access token: who it authenticates and until when, and the ids a revocation can name
 * (token {@code jti}, session {@code sid}, {@code api_key_id}; the subject with the token's {@code iat}, for a
 * revocation of all the user's earlier tokens).
 */
public record VerifiedToken(JwtAuthenticationToken authentication, Instant expiresAt, @Nullable String jti,
        @Nullable String sid, @Nullable String apiKeyId, @Nullable Instant issuedAt) {

    public String tokenValue() {
        return authentication.getToken().getTokenValue();
    }

    public String principal() {
        return authentication.getName();
    }
}
