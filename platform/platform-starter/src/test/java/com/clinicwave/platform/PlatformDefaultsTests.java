package com.clinicwave.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;

/** The platform defaults lose to every other source, including the config files loaded after them. */
class PlatformDefaultsTests {

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }

    @Test
    void configFilesOverrideTheDefaults(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("application.yml"), """
                spring.lifecycle.timeout-per-shutdown-phase: 5s
                spring.cloud.config.retry.max-attempts: 3
                """);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Empty.class)
                .web(WebApplicationType.NONE).run("--spring.config.location=file:" + dir + "/",
                        "--spring.cloud.config.enabled=false", "--eureka.client.enabled=false")) {
            assertThat(context.getEnvironment().getProperty("spring.lifecycle.timeout-per-shutdown-phase"))
                    .isEqualTo("5s");
            assertThat(context.getEnvironment().getProperty("spring.cloud.config.retry.max-attempts")).isEqualTo("3");
            // A default nothing overrides is still there.
            assertThat(context.getEnvironment().getProperty("server.shutdown")).isEqualTo("graceful");
        }
    }

    @Test
    void addsTheDefaultsOnce() {
        StandardEnvironment environment = new StandardEnvironment();
        new PlatformDefaults().postProcessEnvironment(environment, new SpringApplication());
        int sources = environment.getPropertySources().size();
        new PlatformDefaults().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getPropertySources().size()).isEqualTo(sources);
        assertThat(environment.getProperty("spring.threads.virtual.enabled")).isEqualTo("true");
    }
}
