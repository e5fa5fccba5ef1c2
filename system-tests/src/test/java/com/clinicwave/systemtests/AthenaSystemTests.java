package com.clinicwave.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Seed 000 through the gateway: the demo patient connects the sandbox's athenahealth, then the four
 * patient-account routes of athena-service answer with that patient's data. (The gRPC face of the same
 * operations is exercised with a gRPC client in athena-service's own tests.)
 */
class AthenaSystemTests extends SuiteSystemTest {

    private static final String SANDBOX_PATIENT = "patient-001";

    @Test
    void afterConnectingAthenahealthTheFourPatientAccountRoutesAnswerThroughTheGateway() {
        String token = DemoUser.accessToken();
        String bearer = "Bearer " + token;
        String userId = json(get(GATEWAY + "/api/v1/auth/me", "Authorization", bearer)).path("id").asString();
        String connectionId = connectWithSandbox("athenahealth", SANDBOX_PATIENT, bearer, userId);

        String base = GATEWAY + "/api/athena/connections/" + connectionId;
        HttpResponse<String> patient = get(base + "/patient", "Authorization", bearer);
        assertThat(patient.statusCode()).as(patient.body()).isEqualTo(200);
        assertThat(json(patient).path("patient_id").asString()).isEqualTo(SANDBOX_PATIENT);
        assertThat(json(patient).path("last_name").asString()).isNotBlank();

        HttpResponse<String> appointments = get(base + "/appointments", "Authorization", bearer);
        assertThat(appointments.statusCode()).as(appointments.body()).isEqualTo(200);
        assertThat(json(appointments).path("appointments").isArray()).isTrue();

        HttpResponse<String> balance = get(base + "/balance", "Authorization", bearer);
        assertThat(balance.statusCode()).as(balance.body()).isEqualTo(200);
        assertThat(json(balance).path("total_balance").asString()).isNotBlank();

        HttpResponse<String> claims = get(base + "/claims?page_size=5", "Authorization", bearer);
        assertThat(claims.statusCode()).as(claims.body()).isEqualTo(200);
        JsonNode page = json(claims);
        assertThat(page.path("claims").isArray()).isTrue();
        String next = page.path("next_page_token").asString();
        if (!next.isEmpty()) {
            HttpResponse<String> second = get(base + "/claims?page_size=5&page_token=" + next,
                    "Authorization", bearer);
            assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        }

        HttpResponse<String> stranger = get(GATEWAY + "/api/athena/connections/" + java.util.UUID.randomUUID()
                + "/patient", "Authorization", bearer);
        assertThat(stranger.statusCode()).isEqualTo(404);
    }
}
