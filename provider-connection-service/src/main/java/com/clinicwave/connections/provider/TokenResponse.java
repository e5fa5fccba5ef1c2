package com.clinicwave.connections.provider;

import org.jspecify.annotations.Nullable;

/** What a provider's token endpoint returned: the tokens stay inside this service. */
public record TokenResponse(String accessToken, String tokenType, @Nullable Long expiresIn,
        @Nullable String refreshToken, @Nullable String scope, @Nullable String patient,
        @Nullable String practiceId) {

    @Override
    public String toString() {
        // Never print the tokens.
        return "TokenResponse[tokenType=" + tokenType + ", expiresIn=" + expiresIn + ", scope=" + scope + "]";
    }
}
