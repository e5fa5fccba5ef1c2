package com.clinicwave.connections.catalog.web;

import com.clinicwave.connections.catalog.CatalogService;
import com.clinicwave.connections.catalog.Provider;
import com.clinicwave.connections.catalog.Terms;
import com.clinicwave.connections.config.ConnectionsProperties;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The public catalog: providers, their public OAuth configuration (never a secret) and their current terms. */
@RestController
@RequestMapping("/api/providers")
class ProviderController {

    private final CatalogService catalog;
    private final ConnectionsProperties properties;

    ProviderController(CatalogService catalog, ConnectionsProperties properties) {
        this.catalog = catalog;
        this.properties = properties;
    }

    record ProviderView(UUID id, String providerKey, String name, String displayName, @Nullable String description,
            @Nullable String logoUrl, @Nullable String websiteUrl, String providerType, boolean oauthEnabled,
            String status) {
    }

    record ProvidersResponse(List<ProviderView> providers) {
    }

    record OAuthConfigView(String providerKey, String oauthVersion, String authorizationUrl, String tokenUrl,
            String redirectUri, String clientId, String scope, boolean stateParameterRequired, boolean pkceRequired,
            String codeChallengeMethod, Map<String, String> additionalParams, String providerType,
            @Nullable String fhirBaseUrl) {
    }

    record TermsView(String providerKey, String version, String termsText, LocalDate effectiveDate,
            boolean isActive) {
    }

    @GetMapping
    ProvidersResponse providers() {
        return new ProvidersResponse(catalog.all().stream()
                .map(p -> new ProviderView(p.id(), p.providerKey(), p.name(), p.displayName(), p.description(),
                        p.logoUrl(), p.websiteUrl(), p.providerType(), p.oauthEnabled(), p.status()))
                .toList());
    }

    @GetMapping("/{providerKey}/oauth-config")
    OAuthConfigView oauthConfig(@PathVariable String providerKey) {
        Provider p = catalog.get(providerKey);
        return new OAuthConfigView(p.providerKey(), "2.0", p.authorizationUrl(), p.tokenUrl(),
                properties.callbackUrl(), p.clientId(), p.scopes(), true, p.pkceRequired(), "S256",
                p.additionalParams(), p.providerType(), p.fhirBaseUrl());
    }

    @GetMapping("/{providerKey}/terms")
    TermsView terms(@PathVariable String providerKey) {
        Terms t = catalog.activeTerms(providerKey);
        return new TermsView(t.providerKey(), t.version(), t.termsText(), t.effectiveDate(), t.isActive());
    }
}
