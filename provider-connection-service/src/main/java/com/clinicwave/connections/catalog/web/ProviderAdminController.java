package com.clinicwave.connections.catalog.web;

import com.clinicwave.connections.catalog.CatalogService;
import com.clinicwave.connections.catalog.Provider;
import com.clinicwave.connections.catalog.Terms;
import com.clinicwave.platform.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Catalog administration ({@code providers:platform-admin}, a platform permission no tenant admin holds): the full
 * OAuth configuration, terms versions. URLs pass the SSRF policy ({@code CatalogService}); the client secret is
 * write-only: no answer carries it, only {@code client_secret_set}.
 */
@RestController
@RequestMapping("/api/admin/providers")
class ProviderAdminController {

    private static final String URL = "https?://\\S+";

    private final CatalogService catalog;

    ProviderAdminController(CatalogService catalog) {
        this.catalog = catalog;
    }

    /** The admin view: everything but the secret, of which only its presence is told. */
    record AdminProviderView(UUID id, String providerKey, String name, String displayName,
            @Nullable String description, @Nullable String logoUrl, @Nullable String websiteUrl, String providerType,
            String status, boolean oauthEnabled, String authorizationUrl, String tokenUrl,
            @Nullable String revocationUrl, @Nullable String issuer, String clientId, boolean clientSecretSet,
            String clientAuthMethod, String scopes, boolean pkceRequired, Map<String, String> additionalParams,
            @Nullable String apiBaseUrl, @Nullable String fhirBaseUrl) {

        static AdminProviderView of(Provider p) {
            return new AdminProviderView(p.id(), p.providerKey(), p.name(), p.displayName(), p.description(),
                    p.logoUrl(), p.websiteUrl(), p.providerType(), p.status(), p.oauthEnabled(),
                    p.authorizationUrl(), p.tokenUrl(), p.revocationUrl(), p.issuer(), p.clientId(),
                    p.clientSecretCiphertext() != null, p.clientAuthMethod(), p.scopes(), p.pkceRequired(),
                    p.additionalParams(), p.apiBaseUrl(), p.fhirBaseUrl());
        }
    }

    /** A provider's configuration; {@code client_secret} null keeps the stored secret, empty removes it. */
    record ProviderRequest(@NotBlank @Size(max = 200) String name, @Size(max = 200) @Nullable String displayName,
            @Size(max = 2000) @Nullable String description, @Pattern(regexp = URL) @Nullable String logoUrl,
            @Pattern(regexp = URL) @Nullable String websiteUrl,
            @NotNull @Pattern(regexp = "fhir|athenahealth") String providerType,
            @Pattern(regexp = "active|disabled") @Nullable String status, @Nullable Boolean oauthEnabled,
            @NotNull @Pattern(regexp = URL) String authorizationUrl, @NotNull @Pattern(regexp = URL) String tokenUrl,
            @Pattern(regexp = URL) @Nullable String revocationUrl, @Size(max = 500) @Nullable String issuer,
            @NotBlank @Size(max = 200) String clientId, @Size(max = 500) @Nullable String clientSecret,
            @NotNull @Pattern(regexp = "client_secret_basic|client_secret_post|private_key_jwt|none")
            String clientAuthMethod,
            @NotBlank @Size(max = 1000) String scopes, @Nullable Boolean pkceRequired,
            @Nullable Map<String, @Size(max = 500) String> additionalParams,
            @Pattern(regexp = URL) @Nullable String apiBaseUrl, @Pattern(regexp = URL) @Nullable String fhirBaseUrl) {

        @Override
        public String toString() {
            return "ProviderRequest[name=" + name + ", tokenUrl=" + tokenUrl + ", clientId=" + clientId
                    + ", clientSecret=" + (clientSecret == null ? "null" : "***") + "]";
        }
    }

    record TermsRequest(@NotBlank @Size(max = 20) String version, @NotBlank @Size(max = 100_000) String termsText,
            @NotNull LocalDate effectiveDate) {
    }

    @GetMapping
    List<AdminProviderView> list() {
        return catalog.all().stream().map(AdminProviderView::of).toList();
    }

    @GetMapping("/{providerKey}")
    AdminProviderView get(@PathVariable String providerKey) {
        return AdminProviderView.of(catalog.get(providerKey));
    }

    @PutMapping("/{providerKey}")
    AdminProviderView put(@PathVariable @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,49}") String providerKey,
            @Valid @RequestBody ProviderRequest r) {
        Provider config = new Provider(UUID.randomUUID(), providerKey, r.name(),
                r.displayName() == null ? providerKey : r.displayName(), r.description(), r.logoUrl(), r.websiteUrl(),
                r.providerType(), r.status() == null ? "active" : r.status(),
                r.oauthEnabled() == null || r.oauthEnabled(), r.authorizationUrl(), r.tokenUrl(), r.revocationUrl(),
                r.issuer(), r.clientId(), null, r.clientAuthMethod(), r.scopes(),
                r.pkceRequired() == null || r.pkceRequired(),
                r.additionalParams() == null ? Map.of() : r.additionalParams(), r.apiBaseUrl(), r.fhirBaseUrl());
        return AdminProviderView.of(catalog.save(config, r.clientSecret(), Caller.current().subject()));
    }

    @PostMapping("/{providerKey}/terms")
    Terms publishTerms(@PathVariable String providerKey, @Valid @RequestBody TermsRequest r) {
        return catalog.publishTerms(new Terms(providerKey, r.version(), r.termsText(), r.effectiveDate(), true),
                Caller.current().subject());
    }
}
