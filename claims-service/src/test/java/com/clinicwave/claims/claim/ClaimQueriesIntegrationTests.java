package com.clinicwave.claims.claim;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.clinicwave.claims.ClaimsIntegrationTest;
import com.clinicwave.testsupport.TestJwts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ClaimQueriesIntegrationTests extends ClaimsIntegrationTest {

    private String owner;
    private UUID connection;

    @BeforeEach
    void sevenSyncedClaims() {
        owner = user();
        connection = fhirConnection(owner);
        Instant at = Instant.parse("2024-06-01T00:00:00Z");
        List<ExplanationOfBenefit> eobs = new ArrayList<>();
        eobs.add(eob("q1", "oral", "2024-01-10", "100.00", "10.00", "complete", at));
        eobs.add(eob("q2", "oral", "2024-02-10", "200.00", "20.00", "queued", at));
        eobs.add(eob("q3", "professional", "2024-03-10", "300.00", "30.00", "complete", at));
        eobs.add(eob("q4", "professional", "2024-04-10", "400.00", "40.00", "queued", at));
        eobs.add(eob("q5", "pharmacy", "2024-05-10", "5.55", "5.55", "complete", at));
        eobs.add(eob("q6", "professional", "2024-06-10", "600.00", "60.00", "complete", at));
        eobs.add(eob("q7", "professional", "2024-07-10", "700.00", "70.00", "queued", at));
        wiremock.stubFor(get(urlPathEqualTo(eobPath(connection))).willReturn(okJson(bundle(connection, eobs, null))));
        assertThat(call("POST", "/api/connections/" + connection + "/sync", userToken(owner), null).status())
                .isEqualTo(200);
    }

    private JsonNode list(String query) {
        Answer answer = call("GET", "/api/connections/" + connection + "/claims" + query, userToken(owner), null);
        assertThat(answer.status()).isEqualTo(200);
        return answer.body();
    }

    @Test
    void claimsAreListedNewestFirstWithSeed004FieldsAndExactAmounts() {
        JsonNode body = list("");
        assertThat(body.get("claims")).hasSize(7);
        JsonNode newest = body.get("claims").get(0);
        assertThat(newest.get("provider_claim_id").asString()).isEqualTo("q7");
        assertThat(newest.get("service_date").asString()).isEqualTo("2024-07-10");
        assertThat(newest.get("claim_type").asString()).isEqualTo("medical");
        assertThat(newest.get("provider_name").asString()).isEqualTo("Downtown Dental Associates");
        assertThat(newest.get("patient_name").asString()).isEqualTo("John Doe");
        assertThat(newest.get("service_description").asString()).isEqualTo("Dental cleaning and examination");
        assertThat(newest.get("total_amount").decimalValue()).isEqualByComparingTo("700.00");
        assertThat(newest.get("patient_responsibility").decimalValue()).isEqualByComparingTo("70.00");
        assertThat(newest.get("currency").asString()).isEqualTo("USD");
        assertThat(newest.get("status").asString()).isEqualTo("pending");
        assertThat(newest.get("verification_status").asString()).isEqualTo("unverified");
        assertThat(newest.get("created_at").asString()).isNotBlank();
        assertThat(body.get("page").get("total_elements").asLong()).isEqualTo(7);
    }

    @Test
    void filtersByStatusTypeAndServiceDates() {
        assertThat(list("?status=pending").get("claims")).hasSize(3);
        assertThat(list("?claim_type=dental").get("claims")).hasSize(2);
        assertThat(list("?claim_type=medical&status=processed").get("claims")).hasSize(2);
        JsonNode range = list("?from=2024-02-10&to=2024-04-10");
        assertThat(range.get("claims")).extracting(c -> c.get("provider_claim_id").asString())
                .containsExactly("q4", "q3", "q2");
    }

    @Test
    void pagesThroughClaims() {
        JsonNode first = list("?page=0&size=3");
        JsonNode last = list("?page=2&size=3");
        assertThat(first.get("claims")).extracting(c -> c.get("provider_claim_id").asString())
                .containsExactly("q7", "q6", "q5");
        assertThat(last.get("claims")).extracting(c -> c.get("provider_claim_id").asString()).containsExactly("q1");
        assertThat(last.get("page").get("total_pages").asInt()).isEqualTo(3);
        assertThat(last.get("page").get("number").asInt()).isEqualTo(2);
    }

    @Test
    void badFiltersAreValidationProblems() {
        for (String query : List.of("?from=yesterday", "?size=1000", "?page=-1", "?status=%27%3Bdrop%20table%20claim%3B--",
                "?from=2024-05-01&to=2024-01-01")) {
            Answer answer = call("GET", "/api/connections/" + connection + "/claims" + query, userToken(owner), null);
            assertThat(answer.status()).as(query).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.body().get("code").asString()).isEqualTo("VALIDATION_FAILED");
        }
    }

    @Test
    void theOwnerVerifiesOrDisputesAClaim() {
        String claimId = list("").get("claims").get(0).get("id").asString();
        Answer verified = call("PATCH", "/api/claims/" + claimId + "/verification", userToken(owner),
                "{\"verification_status\":\"disputed\"}");
        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.body().get("verification_status").asString()).isEqualTo("disputed");
        // The change is announced for the audit trail (outbox, claims.events); setting the same status again is not.
        call("PATCH", "/api/claims/" + claimId + "/verification", userToken(owner), "{\"verification_status\":\"disputed\"}");
        assertThat(jdbc.sql("select payload from event_outbox where event_type = 'claim.verification_changed' "
                + "and event_key = :id").param("id", claimId).query(String.class).list()).singleElement()
                .satisfies(payload -> assertThat(payload).contains("\"verification_status\":\"disputed\"")
                        .contains("\"previous_status\":\"unverified\"").contains("\"consumer_id\":\"" + owner + "\""));
        Answer invalid = call("PATCH", "/api/claims/" + claimId + "/verification", userToken(owner),
                "{\"verification_status\":\"unverified\"}");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body().get("code").asString()).isEqualTo("VALIDATION_FAILED");
        Answer malformed = call("PATCH", "/api/claims/" + claimId + "/verification", userToken(owner), "{oops");
        assertThat(malformed.status()).isEqualTo(400);
    }

    @Test
    void anotherUsersOrTenantsConnectionIsNotFound() {
        String claimId = list("").get("claims").get(0).get("id").asString();
        String syncId = jdbc.sql("select id::text from sync_run where connection_id = :id").param("id", connection)
                .query(String.class).single();
        String stranger = userToken(user());
        String otherTenant = TestJwts.user(owner, UUID.randomUUID().toString(), PATIENT, List.of("patient"));
        for (String token : List.of(stranger, otherTenant)) {
            for (Answer answer : List.of(
                    call("GET", "/api/connections/" + connection + "/claims", token, null),
                    call("POST", "/api/connections/" + connection + "/sync", token, null),
                    call("GET", "/api/syncs/" + syncId, token, null),
                    call("PATCH", "/api/claims/" + claimId + "/verification", token,
                            "{\"verification_status\":\"verified\"}"))) {
                assertThat(answer.status()).isEqualTo(404);
                assertThat(answer.body().get("code").asString()).isEqualTo("NOT_FOUND");
            }
        }
        assertThat(call("GET", "/api/connections/not-a-uuid/claims", stranger, null).status()).isEqualTo(404);
        assertThat(list("").get("claims").get(0).get("verification_status").asString()).isEqualTo("unverified");
    }

    @Test
    void permissionsAndTokensAreEnforced() {
        String readOnly = TestJwts.user(owner, TENANT, List.of("claims:read"), List.of("patient"));
        Answer noSync = call("POST", "/api/connections/" + connection + "/sync", readOnly, null);
        assertThat(noSync.status()).isEqualTo(403);
        assertThat(noSync.body().get("code").asString()).isEqualTo("INSUFFICIENT_PERMISSIONS");
        Answer anonymous = call("GET", "/api/connections/" + connection + "/claims", null, null);
        assertThat(anonymous.status()).isEqualTo(401);
        Answer forged = call("GET", "/api/connections/" + connection + "/claims", userToken(owner) + "x", null);
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.body().get("code").asString()).isEqualTo("TOKEN_INVALID");
    }
}
