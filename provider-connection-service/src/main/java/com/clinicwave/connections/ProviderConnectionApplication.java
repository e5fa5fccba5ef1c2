package com.clinicwave.connections;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Provider catalog and connections: connect flows, encrypted provider tokens, automatic refresh. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ProviderConnectionApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProviderConnectionApplication.class, args);
    }
}
