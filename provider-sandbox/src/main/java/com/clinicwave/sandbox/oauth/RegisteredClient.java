package com.clinicwave.sandbox.oauth;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/** An OAuth client a simulated provider knows, with the redirect URIs it admits (matched exactly). */
public record RegisteredClient(String providerKey, String clientId, String clientSecret, @Nullable String jwksUrl,
        boolean requirePkce, Set<String> redirectUris) {
}
