package com.clinicwave.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

/**
 * Adds the platform's bootstrap defaults (config-server retry, graceful shutdown, actuator exposure) as Spring Boot's
 * default properties, the lowest-precedence source: needed before the config server answers, overridable by
 * anything — the config repo, profiles, the environment, the command line.
 * <p>
 * They used to be a property source added last before the config data was loaded; config data is appended after
 * it, so these defaults silently won over the config repo (auth-service's {@code spring.threads.virtual.enabled:
 * false}, {@code LOG_FORMAT=text}). Boot keeps its default-properties source at the end whatever is added later.
 */
public class PlatformDefaults implements EnvironmentPostProcessor, Ordered {

    static final String MARKER = "clinicwave.platform.defaults-loaded";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty(MARKER)) {
            return;
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        try {
            Properties properties = PropertiesLoaderUtils.loadProperties(
                    new ClassPathResource("clinicwave-defaults.properties"));
            properties.stringPropertyNames().forEach(name -> defaults.put(name, properties.getProperty(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        defaults.put(MARKER, "true");
        DefaultPropertiesPropertySource.addOrMerge(defaults, environment.getPropertySources());
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
