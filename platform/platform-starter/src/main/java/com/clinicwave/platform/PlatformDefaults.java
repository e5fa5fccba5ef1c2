package com.clinicwave.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Adds the platform's bootstrap defaults (config-server retry, graceful shutdown, actuator exposure) as the
 * lowest-precedence property source: needed before the config server answers, overridable by anything.
 */
public class PlatformDefaults implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE = "clinicwave-defaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(SOURCE)) {
            return;
        }
        try {
            environment.getPropertySources().addLast(
                    new ResourcePropertySource(SOURCE, new ClassPathResource("clinicwave-defaults.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
