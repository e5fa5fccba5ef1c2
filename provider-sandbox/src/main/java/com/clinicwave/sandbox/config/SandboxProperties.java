package com.clinicwave.sandbox.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** The sandbox's settings ({@code sandbox.*}): its public URL, token lifetimes, OAuth clients and rate limits. */
@Validated
@ConfigurationProperties("sandbox")
public record SandboxProperties(
        /* The URL the sandbox names itself by (issuers, endpoints, next links). */
        @NotBlank String publicBaseUrl,
        @DefaultValue("3600s") @NotNull Duration accessTokenTtl,
        @DefaultValue("60s") @NotNull Duration codeTtl,
        /* Absolute lifetime of a refresh-token family (rotation does not extend it). */
        @DefaultValue("90d") @NotNull Duration refreshTokenTtl,
        @DefaultValue("sandbox-password") @NotBlank String password,
        /* Redirect URIs every provider client admits, besides its own configured ones. */
        @DefaultValue({"http://localhost:8080/api/oauth/callback", "http://127.0.0.1:8080/api/oauth/callback"})
        List<String> defaultRedirectUris,
        /* Per provider key (trellis, epic, cerner, athenahealth): overrides of the default client. */
        @DefaultValue Map<String, @Valid Client> clients,
        @DefaultValue @Valid Athena athena,
        @DefaultValue @Valid Idp idp,
        @DefaultValue @Valid Fhir fhir) {

    public String baseUrl() {
        return publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
    }

    /**
     * A provider's OAuth client. Unset values fall back to {@code clinicwave-<provider>} /
     * {@code sandbox-secret-<provider>}; {@code jwksUrl} enables {@code private_key_jwt}.
     */
    public record Client(
            @Nullable String clientId,
            @Nullable String clientSecret,
            @Nullable String jwksUrl,
            @DefaultValue("false") boolean requirePkce,
            @DefaultValue List<String> redirectUris) {
    }

    /** The athenahealth-like REST API. */
    public record Athena(
            @DefaultValue("10") @Min(1) int rateLimitPerSecond,
            @DefaultValue("195900") List<String> practiceIds) {
    }

    /** The OIDC identity provider at {@code /idp} (auth-service federation). */
    public record Idp(
            @DefaultValue("clinicwave-auth") @NotBlank String clientId,
            @DefaultValue("sandbox-secret-idp") @NotBlank String clientSecret,
            @DefaultValue({"http://localhost:9000/login/oauth2/code/athenahealth",
                "http://127.0.0.1:9000/login/oauth2/code/athenahealth",
                "http://localhost:8080/login/oauth2/code/athenahealth",
                "http://127.0.0.1:8080/login/oauth2/code/athenahealth"})
            List<String> redirectUris) {
    }

    /**
     * The FHIR servers' search pages, rendered once and kept in memory (gzip, at most {@code pageCacheBytes}):
     * {@code readAhead} pages after each page served are rendered in the background by {@code renderThreads};
     * {@code prerender} searches ({@code provider:patient:count}) are rendered whole after start.
     */
    public record Fhir(
            @DefaultValue("64MB") @NotNull org.springframework.util.unit.DataSize pageCacheBytes,
            @DefaultValue("8") @Min(0) int readAhead,
            @DefaultValue("2") @Min(1) int renderThreads,
            @DefaultValue List<String> prerender) {
    }
}
