package com.clinicwave.platform.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Issue 13 item 3, issue 18: outside {@code local} a service does not start while a secret it lists is a placeholder,
 * and says which property (never its value) in one log line.
 */
@ExtendWith(OutputCaptureExtension.class)
class PlaceholderSecretsTests {

    private static final String SECRET = "clinicwave.service-client.client-secret";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SecretsAutoConfiguration.class))
            .withPropertyValues("spring.application.name=demo-service",
                    "clinicwave.secrets.required=" + SECRET + ", clinicwave.demo.key",
                    "clinicwave.secrets.optional=clinicwave.demo.optional-secret",
                    "clinicwave.demo.key=kN3v0-aR8x-2qLm-Z7pT");

    @Test
    void placeholderSecretOutsideLocalStopsTheStartNamingThePropertyOnly(CapturedOutput output) {
        for (String placeholder : new String[] {"REPLACE_ME", "", " ", "changeme", "demo-service-local-secret",
                "${DEMO_CLIENT_SECRET}", "<your secret>"}) {
            runner.withPropertyValues("spring.profiles.active=prod", SECRET + "=" + placeholder).run(context -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure())
                        .isInstanceOf(SecretsAutoConfiguration.PlaceholderSecretException.class)
                        .hasMessageContaining("demo-service refuses to start: " + SECRET + " is empty or a placeholder")
                        .hasMessageNotContaining("clinicwave.demo.key");
            });
        }
        runner.withPropertyValues(SECRET + "=REPLACE_ME-with-something").run(context ->
                assertThat(context.getStartupFailure()).message()
                        .doesNotContain("REPLACE_ME-with-something"));
        assertThat(output.getOut().lines().filter(line -> line.contains("refuses to start")))
                .hasSizeGreaterThanOrEqualTo(8).allSatisfy(line -> assertThat(line).contains(SECRET).doesNotContain("REPLACE_ME-with-something"));
        // Not configured at all is as bad as a placeholder.
        runner.run(context -> assertThat(context).hasFailed());
    }

    @Test
    void optionalSecretsMayBeEmptyButNeverAPlaceholder() {
        runner.withPropertyValues(SECRET + "=kN3v0-aR8x-2qLm-Z7pT", "clinicwave.demo.optional-secret=")
                .run(context -> assertThat(context).hasNotFailed());
        runner.withPropertyValues(SECRET + "=kN3v0-aR8x-2qLm-Z7pT", "clinicwave.demo.optional-secret=changeme")
                .run(context -> assertThat(context.getStartupFailure())
                        .hasMessageContaining("clinicwave.demo.optional-secret"));
    }

    @Test
    void realSecretsStartAndTheLocalProfileMayUsePlaceholders() {
        runner.withPropertyValues(SECRET + "=kN3v0-aR8x-2qLm-Z7pT").run(context -> assertThat(context).hasNotFailed());
        runner.withPropertyValues("spring.profiles.active=local", SECRET + "=REPLACE_ME", "clinicwave.demo.key=")
                .run(context -> assertThat(context).hasNotFailed());
        // A service that lists no secrets is not checked.
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SecretsAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void whatCountsAsAPlaceholder() {
        assertThat(PlaceholderSecrets.isPlaceholder("Change_Me")).isTrue();
        assertThat(PlaceholderSecrets.isPlaceholder("gateway-local-secret")).isTrue();
        assertThat(PlaceholderSecrets.isPlaceholder("Gq8-vT2m-Lx9p-Rz4w")).isFalse();
    }
}
