package com.clinicwave.sandbox.provider;

import com.clinicwave.platform.web.ApiException;
import com.clinicwave.sandbox.config.SandboxProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The fixed cast of simulated providers: three FHIR servers, athenahealth and the OIDC identity provider. */
@Component
public class Providers {

    public static final String IDP = "idp";
    public static final String ATHENAHEALTH = "athenahealth";

    private final Map<String, Provider> byKey = new LinkedHashMap<>();

    public Providers(SandboxProperties properties) {
        String base = properties.baseUrl();
        add(base, "trellis", ProviderKind.FHIR, "Trellis Health");
        add(base, "epic", ProviderKind.FHIR, "Epic MyChart (sandbox)");
        add(base, "cerner", ProviderKind.FHIR, "Oracle Health Cerner (sandbox)");
        add(base, ATHENAHEALTH, ProviderKind.ATHENA, "athenahealth");
        byKey.put(IDP, new Provider(IDP, ProviderKind.IDP, "athenahealth identity (sandbox)", base + "/" + IDP,
                base + "/" + IDP));
    }

    private void add(String base, String key, ProviderKind kind, String name) {
        String issuer = base + "/" + key;
        byKey.put(key, new Provider(key, kind, name, issuer, issuer + "/oauth2"));
    }

    public Optional<Provider> find(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** The provider at a path prefix, or a 404 problem. */
    public Provider require(String key) {
        return find(key).orElseThrow(() -> ApiException.notFound("Provider"));
    }

    /** A FHIR provider at a path prefix, or a 404 problem. */
    public Provider requireFhir(String key) {
        Provider provider = require(key);
        if (!provider.isFhir()) {
            throw ApiException.notFound("FHIR server");
        }
        return provider;
    }

    /** The data providers (everything but the identity provider). */
    public List<Provider> dataProviders() {
        return byKey.values().stream().filter(p -> p.kind() != ProviderKind.IDP).toList();
    }

    public Provider idp() {
        return byKey.get(IDP);
    }
}
