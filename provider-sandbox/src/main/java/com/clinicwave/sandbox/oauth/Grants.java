package com.clinicwave.sandbox.oauth;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The in-memory records behind codes and tokens. */
final class Grants {

    private Grants() {
    }

    record Code(String providerKey, String clientId, String redirectUri, String subject, String scope,
            @Nullable String codeChallenge, @Nullable String nonce, Instant authTime, Instant expiresAt) {
    }

    /** A redeemed code, kept a while so that its replay revokes the tokens it gave (ASVS 10.4.2). */
    record Redeemed(String familyId, Instant until) {
    }

    record Refresh(String providerKey, String clientId, String subject, String scope, String familyId,
            Instant authTime, Instant familyExpiresAt) {
    }

    /** A refresh token that was rotated out: its reuse revokes the family (RFC 9700 §4.14.2). */
    record Rotated(String familyId, Instant until) {
    }
}
