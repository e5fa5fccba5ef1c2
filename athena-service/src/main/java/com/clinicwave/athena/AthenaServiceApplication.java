package com.clinicwave.athena;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** athenahealth proxy: the patient-account API over gRPC and HTTP/JSON with the connection's provider token. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AthenaServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(AthenaServiceApplication.class, args);
    }
}
