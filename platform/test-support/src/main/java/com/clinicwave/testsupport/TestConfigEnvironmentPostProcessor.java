package com.clinicwave.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * In tests, a service reads the same configuration it gets from the config server at run time, straight from
 * {@code deploy/config-repo/} ({@code application.yml}, then {@code <module>.yml}), and neither contacts the config
 * server nor registers in Eureka. Runs before Boot's config-data processing so the imports take effect.
 */
public class TestConfigEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE = "clinicwave-test-bootstrap";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(SOURCE)) {
            return;
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("spring.cloud.config.enabled", "false");
        props.put("spring.cloud.config.import-check.enabled", "false");
        if (!ClassUtils.isPresent("org.springframework.cloud.netflix.eureka.server.EurekaServerAutoConfiguration",
                application.getClassLoader())) {
            // A Eureka server needs its client beans; everyone else stays out of any registry.
            props.put("eureka.client.enabled", "false");
            props.put("spring.cloud.discovery.enabled", "false");
        }
        props.put("clinicwave.logging.format", "text");
        Path moduleDir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        Path configRepo = findConfigRepo(moduleDir);
        if (configRepo != null) {
            List<String> imports = new ArrayList<>();
            imports.add("optional:file:" + configRepo.resolve("application.yml"));
            imports.add("optional:file:" + configRepo.resolve(moduleDir.getFileName() + ".yml"));
            props.put("spring.config.import", String.join(",", imports));
        }
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, props));
    }

    static @Nullable Path findConfigRepo(Path from) {
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("deploy/config-repo");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Override
    public int getOrder() {
        // Before ConfigDataEnvironmentPostProcessor (HIGHEST_PRECEDENCE + 10).
        return Ordered.HIGHEST_PRECEDENCE + 5;
    }
}
