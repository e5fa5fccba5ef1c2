package com.clinicwave.auth.config;

import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Outside the {@code local} profile, auth-service does not start while a secret of a client it registers is a
 * placeholder: the suite's service clients (gateway, athena-service, claims-service) must have real secrets; the
 * optional ones (platform-ops, demo-service) may be empty (not registered) but never a placeholder.
 */
@Configuration(proxyBeanMethods = false)
public class SecretsCheck {

    static final List<String> REQUIRED = List.of("clinicwave.auth.seed.gateway-secret",
            "clinicwave.auth.seed.athena-service-secret", "clinicwave.auth.seed.claims-service-secret");
    static final List<String> OPTIONAL = List.of("clinicwave.auth.seed.platform-ops-secret",
            "clinicwave.auth.seed.demo-service-secret");

    /** A marker that the check passed. */
    public record SecretsVerified() {
    }

    @Bean
    SecretsVerified authSecretsVerified(Environment environment) {
        PlaceholderSecrets.requireReal(environment, "auth-service", REQUIRED, OPTIONAL);
        return new SecretsVerified();
    }
}
