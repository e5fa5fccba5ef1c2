package com.clinicwave.sandbox;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The outside world for local runs and tests: provider OAuth servers, FHIR and athenahealth-like APIs. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ProviderSandboxApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProviderSandboxApplication.class, args);
    }
}
