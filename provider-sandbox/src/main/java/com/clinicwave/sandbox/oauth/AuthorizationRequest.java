package com.clinicwave.sandbox.oauth;

import com.clinicwave.sandbox.provider.Provider;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A validated authorization request: from here on, errors go back to the client's redirect URI.
 *
 * @param parameters the OAuth parameters as received, to carry through the login form
 */
public record AuthorizationRequest(Provider provider, RegisteredClient client, String redirectUri, String scope,
        @Nullable String state, @Nullable String codeChallenge, @Nullable String nonce,
        Map<String, String> parameters) {
}
