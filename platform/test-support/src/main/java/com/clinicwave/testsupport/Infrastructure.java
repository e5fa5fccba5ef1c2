package com.clinicwave.testsupport;

import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How real servers are found for tests: configured by environment, else Docker (Testcontainers), else embedded. */
final class Infrastructure {

    private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);
    private static @Nullable Boolean docker;

    private Infrastructure() {
    }

    static @Nullable String configured(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            value = System.getProperty(name.toLowerCase(Locale.ROOT).replace('_', '.'));
        }
        return value == null || value.isBlank() ? null : value;
    }

    /** True where a Docker engine answers and CLINICWAVE_TEST_DOCKER is not {@code false}. */
    static synchronized boolean dockerAvailable() {
        if (docker == null) {
            if ("false".equalsIgnoreCase(configured("CLINICWAVE_TEST_DOCKER"))) {
                docker = false;
            } else {
                try {
                    docker = org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
                } catch (Throwable e) {
                    docker = false;
                }
            }
            log.info("Docker engine {}: tests use {}", docker ? "found" : "not found",
                    docker ? "Testcontainers" : "embedded servers");
        }
        return docker;
    }
}
