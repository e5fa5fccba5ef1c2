package com.clinicwave.auth.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Issue 13, item 3: auth-service does not register clients with placeholder secrets outside {@code local}. */
class PlaceholderSecretsTests {

    private static final String[] REAL = {"clinicwave.auth.seed.gateway-secret=Gq8-vT2m-Lx9p-Rz4w",
        "clinicwave.auth.seed.athena-service-secret=Ab3-kP7s-Wq2n-Xe5r",
        "clinicwave.auth.seed.claims-service-secret=Cm6-yH1d-Tj8f-Bu3k"};

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(SecretsCheck.class).withPropertyValues(REAL);

    @Test
    void placeholderSecretOutsideLocalStopsTheStartWithAClearMessage() {
        runner.withPropertyValues("clinicwave.auth.seed.gateway-secret=REPLACE_ME").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("auth-service refuses to start")
                    .hasMessageContaining("clinicwave.auth.seed.gateway-secret")
                    .hasMessageNotContaining("athena-service-secret");
        });
        runner.withPropertyValues("clinicwave.auth.seed.claims-service-secret=").run(context ->
                assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("clinicwave.auth.seed.claims-service-secret"));
        runner.withPropertyValues("clinicwave.auth.seed.athena-service-secret=athena-service-local-secret")
                .run(context -> assertThat(context).hasFailed());
        // Optional clients: empty means "not registered", a placeholder is refused.
        runner.withPropertyValues("clinicwave.auth.seed.platform-ops-secret=changeme").run(context ->
                assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("clinicwave.auth.seed.platform-ops-secret"));
    }

    @Test
    void realSecretsStartAndTheLocalProfileMayUseItsDefaults() {
        runner.withPropertyValues("clinicwave.auth.seed.platform-ops-secret=").run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(SecretsCheck.SecretsVerified.class));
        runner.withPropertyValues("spring.profiles.active=local", "clinicwave.auth.seed.gateway-secret=REPLACE_ME",
                "clinicwave.auth.seed.claims-service-secret=claims-service-local-secret")
                .run(context -> assertThat(context).hasNotFailed());
    }
}
