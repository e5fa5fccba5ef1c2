package com.clinicwave.connections.oauth;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What an authorization request remembers until its callback: who started it, for which provider, where to send
 * the browser back, the PKCE verifier, and when it stops being valid. Stored in Redis under a hash of the state.
 */
record OAuthState(UUID consumerId, @Nullable UUID tenantId, String initiatedBy, String providerKey,
        String redirectUrl, @Nullable String codeVerifier, String sessionTokenHash, @Nullable String termsVersion,
        Instant expiresAt) {
}
