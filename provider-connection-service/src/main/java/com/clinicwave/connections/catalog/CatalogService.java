package com.clinicwave.connections.catalog;

import com.clinicwave.connections.audit.AuditLog;
import com.clinicwave.connections.audit.AuditLog.ActorType;
import com.clinicwave.connections.crypto.TokenCipher;
import com.clinicwave.platform.net.ProviderAddressPolicy;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads and administers the catalog. */
@Service
public class CatalogService {

    private final ProviderRepository providers;
    private final TermsRepository terms;
    private final TokenCipher cipher;
    private final AuditLog audit;
    private final ProviderAddressPolicy addressPolicy;

    CatalogService(ProviderRepository providers, TermsRepository terms, TokenCipher cipher, AuditLog audit,
            ProviderAddressPolicy addressPolicy) {
        this.providers = providers;
        this.terms = terms;
        this.cipher = cipher;
        this.audit = audit;
        this.addressPolicy = addressPolicy;
    }

    public List<Provider> all() {
        return providers.findAll();
    }

    public Provider get(String providerKey) {
        return providers.findByKey(providerKey).orElseThrow(() -> ApiException.notFound("Provider"));
    }

    public Terms activeTerms(String providerKey) {
        get(providerKey);
        return terms.active(providerKey).orElseThrow(() -> ApiException.notFound("Terms"));
    }

    /** The provider's client secret in clear, for client authentication at its token endpoint. */
    public @Nullable String clientSecret(Provider provider) {
        return cipher.decryptNullable(provider.clientSecretCiphertext(),
                Provider.secretAssociatedData(provider.providerKey()));
    }

    /** Creates or replaces a provider's configuration; a null secret keeps the stored one, blank removes it. */
    // A refused URL is thrown before anything is written; its audit record must still commit.
    @Transactional(noRollbackFor = ApiException.class)
    public Provider save(Provider config, @Nullable String clientSecret, String admin) {
        requireText(clientSecret, config.providerKey(), config.name(), config.displayName(), config.description(),
                config.logoUrl(), config.websiteUrl(), config.issuer(), config.clientId(), config.scopes(),
                config.authorizationUrl(), config.tokenUrl(), config.revocationUrl(), config.apiBaseUrl(),
                config.fhirBaseUrl());
        config.additionalParams().forEach((k, v) -> requireText(k, v));
        checkUrls(config, admin);
        Provider existing = providers.findByKey(config.providerKey()).orElse(null);
        boolean replaceSecret = clientSecret != null;
        byte[] ciphertext = clientSecret == null || clientSecret.isBlank() ? null
                : cipher.encrypt(clientSecret, Provider.secretAssociatedData(config.providerKey()));
        UUID id = existing == null ? UUID.randomUUID() : existing.id();
        Provider toSave = new Provider(id, config.providerKey(), config.name(), config.displayName(),
                config.description(), config.logoUrl(), config.websiteUrl(), config.providerType(), config.status(),
                config.oauthEnabled(), config.authorizationUrl(), config.tokenUrl(), config.revocationUrl(),
                config.issuer(), config.clientId(), ciphertext, config.clientAuthMethod(), config.scopes(),
                config.pkceRequired(), config.additionalParams(), config.apiBaseUrl(), config.fhirBaseUrl());
        providers.upsert(toSave, replaceSecret);
        audit.record(new AuditLog.Entry(admin, ActorType.admin, existing == null ? "provider.created"
                : "provider.updated", "success", null, config.providerKey(), null,
                replaceSecret ? "client secret replaced" : null));
        return get(config.providerKey());
    }

    /** PostgreSQL text cannot hold NUL: such input is the caller's error (400), not a database failure (500). */
    private static void requireText(@Nullable String... values) {
        for (String value : values) {
            if (value != null && value.indexOf('\u0000') >= 0) {
                throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED, "Text fields must not contain NUL");
            }
        }
    }

    /** Every URL the service or a browser is sent to must pass the address policy (SSRF), at write time. */
    private void checkUrls(Provider config, String admin) {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("authorization_url", config.authorizationUrl());
        urls.put("token_url", config.tokenUrl());
        urls.put("revocation_url", config.revocationUrl());
        urls.put("fhir_base_url", config.fhirBaseUrl());
        urls.put("api_base_url", config.apiBaseUrl());
        for (Map.Entry<String, String> url : urls.entrySet()) {
            try {
                addressPolicy.check(url.getValue());
            } catch (ProviderAddressPolicy.RefusedUrlException e) {
                audit.record(new AuditLog.Entry(admin, ActorType.admin, "provider.updated", "refused", null,
                        config.providerKey(), null, url.getKey() + " " + e.code()));
                throw e.toProblem(url.getKey());
            }
        }
    }

    @Transactional
    public Terms publishTerms(Terms newTerms, String admin) {
        requireText(newTerms.version(), newTerms.termsText());
        get(newTerms.providerKey());
        terms.publish(newTerms);
        audit.record(new AuditLog.Entry(admin, ActorType.admin, "terms.published", "success", null,
                newTerms.providerKey(), null, "version " + newTerms.version()));
        return activeTerms(newTerms.providerKey());
    }
}
