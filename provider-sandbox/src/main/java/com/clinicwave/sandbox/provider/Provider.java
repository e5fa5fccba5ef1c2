package com.clinicwave.sandbox.provider;

/**
 * One simulated outside party, served under its own path prefix with its own issuer.
 *
 * @param key the path prefix and the name used in configuration and fault injection
 * @param issuer the OAuth / OIDC issuer, {@code <public-base-url>/<key>}
 * @param oauthBase the prefix of the OAuth endpoints ({@code <issuer>/oauth2} for providers, the issuer for the IdP)
 */
public record Provider(String key, ProviderKind kind, String displayName, String issuer, String oauthBase) {

    public String authorizationEndpoint() {
        return oauthBase + "/authorize";
    }

    public String tokenEndpoint() {
        return oauthBase + "/token";
    }

    public String revocationEndpoint() {
        return oauthBase + "/revoke";
    }

    public String jwksUri() {
        return oauthBase + "/jwks";
    }

    public String userinfoEndpoint() {
        return oauthBase + "/userinfo";
    }

    public String fhirBase() {
        return issuer + "/fhir";
    }

    public boolean isFhir() {
        return kind == ProviderKind.FHIR;
    }
}
