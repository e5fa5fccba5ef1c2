package com.clinicwave.connections.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.clinicwave.connections.crypto.ClientAssertionKeys;
import com.clinicwave.connections.crypto.TokenCipher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * The `local` profile's configuration (what config-server serves to bin/platform up) binds, its development keys
 * load, and every provider points at the sandbox with its documented client. Bound without a Spring context.
 */
class LocalProfileConfigTests {

    @Test
    void outsideTheLocalProfileTheSsrfPolicyIsOnAndOnlyTheProductionAppIsAllowListed() throws IOException {
        StandardEnvironment env = new StandardEnvironment();
        Path repo = Path.of("..", "deploy", "config-repo");
        YamlPropertySourceLoader yaml = new YamlPropertySourceLoader();
        for (String file : new String[] {"provider-connection-service.yml", "application.yml"}) {
            for (PropertySource<?> source : yaml.load(file, new FileSystemResource(repo.resolve(file)))) {
                env.getPropertySources().addLast(source);
            }
        }
        Binder binder = Binder.get(env);
        // The SSRF policy is the platform starter's default (enforced): only application-local.yml turns it off.
        assertThat(binder.bind("clinicwave.provider-urls.enforced", Boolean.class).isBound()).isFalse();
        assertThat(binder.bind("clinicwave.connections.redirect-allow-list", String.class).get())
                .isEqualTo("https://app.clinicwave.dev/");
    }

    @Test
    void localProfilePointsEveryProviderAtTheSandbox() throws IOException {
        StandardEnvironment env = new StandardEnvironment();
        Path repo = Path.of("..", "deploy", "config-repo");
        YamlPropertySourceLoader yaml = new YamlPropertySourceLoader();
        // Highest precedence first: the profile file overrides the service file, which overrides the shared one.
        for (String file : new String[] {"provider-connection-service-local.yml", "application-local.yml",
            "provider-connection-service.yml", "application.yml"}) {
            for (PropertySource<?> source : yaml.load(file, new FileSystemResource(repo.resolve(file)))) {
                env.getPropertySources().addLast(source);
            }
        }
        ConnectionsProperties properties = Binder.get(env).bind("clinicwave.connections", ConnectionsProperties.class)
                .get();

        assertThat(properties.callbackUrl()).isEqualTo("http://localhost:8080/api/oauth/callback");
        assertThat(properties.redirectAllowList()).contains("http://127.0.0.1:5173/", "http://localhost:5173/",
                "com.clinicwave.companion:/connect");
        // The sandbox is http on localhost: the SSRF policy is off in the local profile only.
        assertThat(Binder.get(env).bind("clinicwave.provider-urls.enforced", Boolean.class).get()).isFalse();
        Map<String, ConnectionsProperties.ProviderSeed> catalog = properties.catalog();
        assertThat(catalog).containsOnlyKeys("trellis", "epic", "cerner", "athenahealth");
        catalog.forEach((key, p) -> {
            assertThat(p.authorizationUrl()).isEqualTo("http://localhost:9400/" + key + "/oauth2/authorize");
            assertThat(p.tokenUrl()).isEqualTo("http://localhost:9400/" + key + "/oauth2/token");
            assertThat(p.revocationUrl()).isEqualTo("http://localhost:9400/" + key + "/oauth2/revoke");
            assertThat(p.issuer()).isEqualTo("http://localhost:9400/" + key);
            assertThat(p.clientId()).isEqualTo("clinicwave-" + key);
            assertThat(p.clientSecret()).isEqualTo("sandbox-secret-" + key);
            assertThat(p.termsVersion()).isNotBlank();
        });
        assertThat(catalog.get("trellis").fhirBaseUrl()).isEqualTo("http://localhost:9400/trellis/fhir");
        assertThat(catalog.get("trellis").providerType()).isEqualTo("fhir");
        assertThat(catalog.get("athenahealth").apiBaseUrl()).isEqualTo("http://localhost:9400/athenahealth/api/v1");
        assertThat(catalog.get("athenahealth").providerType()).isEqualTo("athenahealth");

        TokenCipher cipher = new TokenCipher(properties.tokenKeyset());
        assertThat(cipher.decrypt(cipher.encrypt("x", "ad"), "ad")).isEqualTo("x");
        assertThat(new ClientAssertionKeys(properties.clientAssertionJwks()).available()).isTrue();
    }
}
