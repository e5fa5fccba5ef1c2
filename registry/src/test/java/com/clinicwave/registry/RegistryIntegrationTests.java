package com.clinicwave.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureTestRestTemplate
class RegistryIntegrationTests {

    @Autowired
    TestRestTemplate rest;

    @Test
    void anInstanceThatRegistersIsListed() {
        String instance = """
                {"instance":{"instanceId":"sample:1","hostName":"localhost","app":"SAMPLE-SERVICE","ipAddr":"127.0.0.1",
                "status":"UP","port":{"$":8099,"@enabled":"true"},"dataCenterInfo":{
                "@class":"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"}}}
                """;
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        assertThat(rest.exchange("/eureka/apps/SAMPLE-SERVICE", HttpMethod.POST, new HttpEntity<>(instance, headers),
                String.class).getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);

        HttpHeaders accept = new HttpHeaders();
        accept.setAccept(java.util.List.of(MediaType.APPLICATION_JSON));
        String apps = rest.exchange("/eureka/apps", HttpMethod.GET, new HttpEntity<>(accept), String.class).getBody();
        assertThat(apps).contains("\"name\":\"SAMPLE-SERVICE\"");
    }

    @Test
    void exposesHealthAndPrometheus() {
        assertThat(rest.getForEntity("/actuator/health", String.class).getBody()).contains("\"status\":\"UP\"");
        assertThat(rest.getForEntity("/actuator/prometheus", String.class).getBody()).contains("jvm_memory_used_bytes");
    }
}
