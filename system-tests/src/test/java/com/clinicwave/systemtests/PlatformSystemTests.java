package com.clinicwave.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** The foundation's promises: everything registered and healthy, each route family reaches its service, traces join. */
class PlatformSystemTests extends SuiteSystemTest {

    @Test
    void everyServiceIsRegisteredInEureka() {
        HttpResponse<String> apps = get(EUREKA + "/eureka/apps", "Accept", "application/json");
        assertThat(apps.statusCode()).isEqualTo(200);
        List<String> names = json(apps).path("applications").path("application").valueStream()
                .map(app -> app.path("name").asString()).toList();
        assertThat(names).contains("GATEWAY", "AUTH-SERVICE", "PROVIDER-CONNECTION-SERVICE", "ATHENA-SERVICE",
                "CLAIMS-SERVICE");
    }

    @Test
    void gatewayIsHealthyAndKeepsActuatorOffThePublicPort() {
        assertThat(json(get("http://localhost:8090/actuator/health")).path("status").asString()).isEqualTo("UP");
        assertThat(get(GATEWAY + "/actuator/health").statusCode()).isEqualTo(404);
        assertThat(get(GATEWAY + "/actuator/prometheus").statusCode()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0} is answered by {1}")
    @CsvSource({
        "/v3/api-docs/auth-service, auth-service",
        "/v3/api-docs/provider-connection-service, provider-connection-service",
        "/v3/api-docs/athena-service, athena-service",
        "/v3/api-docs/claims-service, claims-service",
    })
    void eachServiceDocumentIsServedThroughTheGateway(String path, String service) {
        HttpResponse<String> response = get(GATEWAY + path);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("openapi").asString()).startsWith("3.");
    }

    @ParameterizedTest(name = "{0} reaches {1} with one trace id")
    @CsvSource({
        "/.well-known/openid-configuration, auth-service",
        "/api/providers, provider-connection-service",
        "/v3/api-docs/athena-service, athena-service",
        "/v3/api-docs/claims-service, claims-service",
    })
    void oneRequestsTraceIdAppearsInTheGatewayAndServiceLogs(String path, String service) {
        HttpResponse<String> response = get(GATEWAY + path, "Accept", "application/json");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String traceId = traceIdFromGatewayLog(path);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(log(service)).contains("\"traceId\":\"" + traceId + "\""));
    }

    @ParameterizedTest(name = "{0} is answered by its service")
    @CsvSource({
        "/api/v1/auth/me",
        "/api/connections",
        "/api/connections/00000000-0000-0000-0000-000000000000/claims",
        "/api/syncs/00000000-0000-0000-0000-000000000000",
        "/api/athena/connections/00000000-0000-0000-0000-000000000000/patient",
    })
    void eachAuthenticatedRouteFamilyReachesItsService(String path) {
        String token = DemoUser.accessToken();
        HttpResponse<String> response = get(GATEWAY + path, "Authorization", "Bearer " + token,
                "Accept", "application/json");
        // Data, or the service's own 404 for an id that does not exist: never a gateway failure or a 401.
        assertThat(response.statusCode()).as(path + " -> " + response.body()).isIn(200, 404);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("json");
    }

    /** The gateway's access-log line for the last request to this path carries its trace id. */
    private static String traceIdFromGatewayLog(String path) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> log("gateway").lines()
                .filter(line -> line.contains("\"logger_name\":\"clinicwave.access\"") && line.contains(" " + path + " "))
                .reduce((first, second) -> second)
                .map(line -> {
                    JsonNode node = JSON.readTree(line);
                    return node.path("traceId").asString();
                })
                .orElse(null), id -> id != null && !id.isBlank());
    }
}
