package com.clinicwave.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 7 through the gateway: after the demo patient connects a sandbox FHIR provider, claims appear without a
 * manual sync; a manual sync answers claims_updated, a second one with nothing changed 0 (and exactly the claims the
 * sandbox touched in between otherwise); filters and paging work; athenahealth claims arrive through athena-service.
 */
class ClaimsSystemTests extends SuiteSystemTest {

    private static final String SANDBOX = System.getenv().getOrDefault("CLINICWAVE_SANDBOX_URL",
            "http://localhost:9400");

    @Test
    void fhirClaimsArriveWithoutUserActionAndManualSyncsAreIncremental() {
        String bearer = "Bearer " + DemoUser.accessToken();
        String userId = json(get(GATEWAY + "/api/v1/auth/me", "Authorization", bearer)).path("id").asString();
        String connectionId = connectWithSandbox("epic", "patient-002", bearer, userId);
        String claimsUrl = GATEWAY + "/api/connections/" + connectionId + "/claims";

        // The initial sync runs on connection.created: no manual sync needed.
        awaitClaims(connectionId, bearer);
        JsonNode all = json(get(claimsUrl + "?size=100", "Authorization", bearer));
        long total = all.path("page").path("total_elements").asLong();
        JsonNode first = all.path("claims").get(0);
        assertThat(first.path("provider_claim_id").asString()).isNotBlank();
        assertThat(first.path("total_amount").isNumber()).isTrue();
        assertThat(first.path("verification_status").asString()).isEqualTo("unverified");

        HttpResponse<String> sync = postJson(GATEWAY + "/api/connections/" + connectionId + "/sync", Map.of(),
                "Authorization", bearer);
        assertThat(sync.statusCode()).as(sync.body()).isEqualTo(200);
        assertThat(json(sync).path("success").asBoolean()).isTrue();
        assertThat(json(sync).has("claims_updated")).isTrue();
        HttpResponse<String> again = postJson(GATEWAY + "/api/connections/" + connectionId + "/sync", Map.of(),
                "Authorization", bearer);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json(again).path("claims_updated").asInt()).isZero();

        // Claims the provider changed are picked up by the next incremental sync.
        HttpResponse<String> touched = postJson(SANDBOX + "/sandbox/admin/data/epic/patients/patient-002/touch",
                Map.of("count", 3));
        if (touched.statusCode() == 200) {
            HttpResponse<String> afterTouch = postJson(GATEWAY + "/api/connections/" + connectionId + "/sync",
                    Map.of(), "Authorization", bearer);
            assertThat(json(afterTouch).path("claims_updated").asInt()).as(afterTouch.body()).isEqualTo(3);
        }

        String syncId = json(again).path("sync_id").asString();
        HttpResponse<String> run = get(GATEWAY + "/api/syncs/" + syncId, "Authorization", bearer);
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        assertThat(json(run).path("status").asString()).isEqualTo("succeeded");

        // Filters and paging.
        String status = first.path("status").asString();
        JsonNode byStatus = json(get(claimsUrl + "?status=" + status + "&size=100", "Authorization", bearer));
        assertThat(byStatus.path("claims")).allSatisfy(c -> assertThat(c.path("status").asString()).isEqualTo(status));
        JsonNode page0 = json(get(claimsUrl + "?page=0&size=2", "Authorization", bearer));
        JsonNode page1 = json(get(claimsUrl + "?page=1&size=2", "Authorization", bearer));
        assertThat(page0.path("claims").size()).isEqualTo((int) Math.min(2, total));
        assertThat(page0.path("page").path("total_elements").asLong()).isEqualTo(total);
        if (total > 2) {
            assertThat(page1.path("claims").get(0).path("id").asString())
                    .isNotEqualTo(page0.path("claims").get(0).path("id").asString());
        }
        String date = first.path("service_date").asString();
        JsonNode byDate = json(get(claimsUrl + "?from=" + date + "&to=" + date, "Authorization", bearer));
        assertThat(byDate.path("claims")).allSatisfy(c -> assertThat(c.path("service_date").asString())
                .isEqualTo(date));

        HttpResponse<String> verified = send(HttpRequest.newBuilder(URI.create(GATEWAY + "/api/claims/"
                + first.path("id").asString() + "/verification"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", bearer)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"verification_status\":\"verified\"}"))
                .build());
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        assertThat(json(verified).path("verification_status").asString()).isEqualTo("verified");

        HttpResponse<String> stranger = get(GATEWAY + "/api/connections/" + UUID.randomUUID() + "/claims",
                "Authorization", bearer);
        assertThat(stranger.statusCode()).isEqualTo(404);
    }

    @Test
    void athenahealthClaimsArriveThroughAthenaService() {
        String bearer = "Bearer " + DemoUser.accessToken();
        String userId = json(get(GATEWAY + "/api/v1/auth/me", "Authorization", bearer)).path("id").asString();
        String connectionId = connectWithSandbox("athenahealth", "patient-003", bearer, userId);

        awaitClaims(connectionId, bearer);
    }
}
