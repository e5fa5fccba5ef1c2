package com.clinicwave.athena.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Issue 13, item 3: athena-service with a placeholder client secret does not start outside {@code local}. */
class PlaceholderSecretsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(SecretsCheck.class);

    @Test
    void placeholderSecretOutsideLocalStopsTheStartWithAClearMessage() {
        for (String placeholder : new String[] {"REPLACE_ME", "", " ", "changeme", "athena-service-local-secret",
                "${ATHENA_CLIENT_SECRET}"}) {
            runner.withPropertyValues("spring.profiles.active=prod", SecretsCheck.CLIENT_SECRET + "=" + placeholder)
                    .run(context -> {
                        assertThat(context).hasFailed();
                        assertThat(context.getStartupFailure()).rootCause()
                                .isInstanceOf(IllegalStateException.class)
                                .hasMessageContaining("athena-service refuses to start")
                                .hasMessageContaining(SecretsCheck.CLIENT_SECRET)
                                .hasMessageContaining("placeholder");
                    });
        }
        // Not configured at all is as bad as a placeholder.
        runner.run(context -> assertThat(context).hasFailed());
    }

    @Test
    void theMessageNeverShowsTheValue() {
        runner.withPropertyValues(SecretsCheck.CLIENT_SECRET + "=REPLACE_ME-with-something")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .message().doesNotContain("REPLACE_ME-with-something"));
    }

    @Test
    void realSecretsStartAndTheLocalProfileMayUsePlaceholders() {
        runner.withPropertyValues(SecretsCheck.CLIENT_SECRET + "=kN3v0-aR8x-2qLm-Z7pT")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(SecretsCheck.SecretsVerified.class));
        runner.withPropertyValues("spring.profiles.active=local", SecretsCheck.CLIENT_SECRET + "=REPLACE_ME")
                .run(context -> assertThat(context).hasNotFailed());
    }
}
