package com.clinicwave.configserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "CONFIG_SERVER_PASSWORD=test-password",
    "ENCRYPT_KEY=test-only-encryption-key-0123456789",
})
@AutoConfigureTestRestTemplate
class ConfigServerIntegrationTests {

    static final Path REPO = createRepo();

    @Autowired
    TestRestTemplate rest;

    static Path createRepo() {
        try {
            Path dir = Files.createTempDirectory("config-repo");
            Files.copy(Path.of("../deploy/config-repo/application.yml"), dir.resolve("application.yml"));
            Files.writeString(dir.resolve("sample-service.yml"), "sample:\n  plain: visible\n");
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void repo(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.config.server.native.search-locations", () -> REPO.toUri().toString());
    }

    @Test
    void configurationIsRefusedWithoutCredentials() {
        assertThat(rest.getForEntity("/sample-service/default", String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(rest.withBasicAuth("config", "wrong").getForEntity("/sample-service/default", String.class)
                .getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void servesTheSharedAndTheServiceFiles() {
        ResponseEntity<String> response = rest.withBasicAuth("config", "test-password")
                .getForEntity("/sample-service/default", String.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody()).contains("sample-service.yml").contains("application.yml")
                .contains("\"sample.plain\":\"visible\"");
    }

    @Test
    void cipherValuesAreServedDecrypted() throws IOException {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.TEXT_PLAIN);
        String cipher = rest.withBasicAuth("config", "test-password")
                .postForEntity("/encrypt", new HttpEntity<>("s3cret-value", headers), String.class).getBody();
        assertThat(cipher).isNotBlank().doesNotContain("s3cret-value");
        Files.writeString(REPO.resolve("cipher-service.yml"), "sample:\n  secret: '{cipher}" + cipher + "'\n");

        String served = rest.withBasicAuth("config", "test-password")
                .getForEntity("/cipher-service/default", String.class).getBody();
        assertThat(served).contains("\"sample.secret\":\"s3cret-value\"");
    }

    @Test
    void healthIsPublicForProbes() {
        assertThat(rest.getForEntity("/actuator/health", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
    }
}
