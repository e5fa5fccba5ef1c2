package com.clinicwave.configserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.clinicwave.platform.secrets.SecretsAutoConfiguration;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;

/** Issue 18: config-server, whose profile is never {@code local}, does not start on a placeholder secret. */
class PlaceholderSecretsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SecretsAutoConfiguration.class))
            .withInitializer(context -> {
                try {
                    // config-server's own application.yml: the list of its secrets and where they come from.
                    new YamlPropertySourceLoader().load("config-server", new ClassPathResource("application.yml"))
                            .forEach(context.getEnvironment().getPropertySources()::addLast);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });

    @Test
    void aPlaceholderPasswordOrEncryptionKeyStopsTheStartNamingTheProperty() {
        runner.withPropertyValues("CONFIG_SERVER_PASSWORD=REPLACE_ME-config-pw", "ENCRYPT_KEY=kN3v0-aR8x-2qLm-Z7pT-0123")
                .run(context -> assertThat(context.getStartupFailure())
                        .hasMessageContaining("config-server refuses to start: spring.security.user.password is")
                        .hasMessageNotContaining("config-pw"));
        runner.withPropertyValues("CONFIG_SERVER_PASSWORD=Gq8-vT2m-Lx9p-Rz4w")
                .run(context -> assertThat(context.getStartupFailure()).hasMessageContaining("encrypt.key"));
        runner.withPropertyValues("CONFIG_SERVER_PASSWORD=Gq8-vT2m-Lx9p-Rz4w", "ENCRYPT_KEY=kN3v0-aR8x-2qLm-Z7pT-0123")
                .run(context -> assertThat(context).hasNotFailed());
    }
}
