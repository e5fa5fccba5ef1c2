package com.clinicwave.athena.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Outside the {@code local} profile, athena-service does not start with a placeholder client secret. */
@Configuration(proxyBeanMethods = false)
public class SecretsCheck {

    static final String CLIENT_SECRET = "clinicwave.athena.service-client.client-secret";

    /** A marker that the check passed; created first thing in the context. */
    public record SecretsVerified() {
    }

    @Bean
    SecretsVerified athenaSecretsVerified(Environment environment) {
        PlaceholderSecrets.requireReal(environment, "athena-service", CLIENT_SECRET);
        return new SecretsVerified();
    }
}
