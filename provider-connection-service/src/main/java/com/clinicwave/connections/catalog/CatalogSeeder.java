package com.clinicwave.connections.catalog;

import com.clinicwave.connections.config.ConnectionsProperties;
import com.clinicwave.connections.config.ConnectionsProperties.ProviderSeed;
import com.clinicwave.connections.crypto.TokenCipher;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Seeds the catalog from configuration ({@code clinicwave.connections.catalog.<key>}) on start: a provider is
 * inserted only when absent, so changes made through the admin API survive restarts; so are its first terms.
 */
@Component
class CatalogSeeder implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(CatalogSeeder.class);

    private final ConnectionsProperties properties;
    private final ProviderRepository providers;
    private final TermsRepository terms;
    private final TokenCipher cipher;

    CatalogSeeder(ConnectionsProperties properties, ProviderRepository providers, TermsRepository terms,
            TokenCipher cipher) {
        this.properties = properties;
        this.providers = providers;
        this.terms = terms;
        this.cipher = cipher;
    }

    @Override
    public void run(ApplicationArguments args) {
        for (Map.Entry<String, ProviderSeed> entry : properties.catalog().entrySet()) {
            String key = entry.getKey();
            ProviderSeed seed = entry.getValue();
            if (!providers.exists(key)) {
                String secret = seed.clientSecret();
                byte[] secretCiphertext = secret == null || secret.isBlank() ? null
                        : cipher.encrypt(secret, Provider.secretAssociatedData(key));
                providers.upsert(new Provider(UUID.randomUUID(), key, seed.name(),
                        seed.displayName() == null ? key : seed.displayName(), seed.description(), seed.logoUrl(),
                        seed.websiteUrl(), seed.providerType(), "active", true, seed.authorizationUrl(),
                        seed.tokenUrl(), seed.revocationUrl(), seed.issuer(), seed.clientId(), secretCiphertext,
                        seed.clientAuthMethod(), seed.scopes(), seed.pkceRequired(), seed.additionalParams(),
                        seed.apiBaseUrl(), seed.fhirBaseUrl()), true);
                log.info("Seeded provider {}", key);
            }
            if (seed.termsVersion() != null && !terms.hasAny(key)) {
                terms.publish(new Terms(key, seed.termsVersion(),
                        seed.termsText() == null ? seed.name() + " terms and conditions" : seed.termsText(),
                        seed.termsEffectiveDate() == null ? LocalDate.of(2026, 1, 1)
                                : LocalDate.parse(seed.termsEffectiveDate()), true));
            }
        }
    }
}
