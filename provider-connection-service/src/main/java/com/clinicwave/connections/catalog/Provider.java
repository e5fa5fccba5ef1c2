package com.clinicwave.connections.catalog;

import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A provider of the catalog with its OAuth client configuration (the secret only as ciphertext). */
public record Provider(UUID id, String providerKey, String name, String displayName, @Nullable String description,
        @Nullable String logoUrl, @Nullable String websiteUrl, String providerType, String status, boolean oauthEnabled,
        String authorizationUrl, String tokenUrl, @Nullable String revocationUrl, @Nullable String issuer,
        String clientId, byte @Nullable [] clientSecretCiphertext, String clientAuthMethod, String scopes,
        boolean pkceRequired, Map<String, String> additionalParams, @Nullable String apiBaseUrl,
        @Nullable String fhirBaseUrl) {

    public static final String TYPE_FHIR = "fhir";
    public static final String TYPE_ATHENA = "athenahealth";

    public boolean active() {
        return "active".equals(status);
    }

    public boolean fhir() {
        return TYPE_FHIR.equals(providerType);
    }

    /** Associated data binding the client secret's ciphertext to this provider. */
    public static String secretAssociatedData(String providerKey) {
        return "provider:" + providerKey;
    }
}
