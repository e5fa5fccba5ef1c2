package com.clinicwave.platform.secrets;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Outside the {@code local} profile a service does not start while a secret it lists is a placeholder
 * ({@link PlaceholderSecrets}). A service lists its secrets' property names in its own {@code application.yml}:
 * {@code clinicwave.secrets.required} (must be real) and {@code clinicwave.secrets.optional} (may be empty, never a
 * placeholder). The check runs before any bean is created (no database, Kafka or Redis connection is tried first)
 * and logs one line naming the properties, never their values.
 */
@AutoConfiguration
public class SecretsAutoConfiguration {

    @Bean
    static PlaceholderSecretsCheck clinicwavePlaceholderSecretsCheck() {
        return new PlaceholderSecretsCheck();
    }

    /** Thrown when a listed secret is a placeholder; its message names the properties only. */
    public static final class PlaceholderSecretException extends IllegalStateException {
        PlaceholderSecretException(String message) {
            super(message);
        }
    }

    private static List<String> trimmed(List<String> names) {
        return names.stream().map(String::trim).filter(name -> !name.isEmpty()).toList();
    }

    static final class PlaceholderSecretsCheck implements BeanFactoryPostProcessor, EnvironmentAware, Ordered {

        private static final Logger log = LoggerFactory.getLogger(PlaceholderSecretsCheck.class);

        private Environment environment;

        @Override
        public void setEnvironment(Environment environment) {
            this.environment = environment;
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }

        @Override
        public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
            Binder binder = Binder.get(environment);
            List<String> required = binder.bind("clinicwave.secrets.required", Bindable.listOf(String.class))
                    .orElse(List.of());
            List<String> optional = binder.bind("clinicwave.secrets.optional", Bindable.listOf(String.class))
                    .orElse(List.of());
            List<String> bad = PlaceholderSecrets.offending(environment, trimmed(required), trimmed(optional));
            if (bad.isEmpty()) {
                return;
            }
            String service = environment.getProperty("spring.application.name", "this service");
            String message = service + " refuses to start: " + String.join(", ", bad)
                    + (bad.size() == 1 ? " is" : " are") + " empty or a placeholder (REPLACE_ME, changeme, a local "
                    + "default …). Set the real secret from the secret store; placeholders are allowed only in the "
                    + "'local' profile.";
            log.error(message);
            throw new PlaceholderSecretException(message);
        }
    }
}
