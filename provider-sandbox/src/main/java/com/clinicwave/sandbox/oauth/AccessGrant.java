package com.clinicwave.sandbox.oauth;

import java.time.Instant;

/** What a valid access token stands for: a provider, a client and the patient (or IdP user) it is bound to. */
public record AccessGrant(String providerKey, String clientId, String subject, String scope, String familyId,
        Instant expiresAt) {
}
