package com.clinicwave.claims.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.clinicwave.claims.ClaimsIntegrationTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ClaimsSyncIntegrationTests extends ClaimsIntegrationTest {

    private static final Instant T1 = Instant.parse("2024-03-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2024-03-02T10:00:00Z");

    private void stubTwoPages(UUID connection) {
        wiremock.stubFor(get(urlPathEqualTo(eobPath(connection))).withQueryParam("page", absent())
                .willReturn(okJson(bundle(connection, List.of(
                        eob("c1", "oral", "2024-01-05", "150.00", "25.00", "complete", T1),
                        eob("c2", "professional", "2024-02-10", "80.50", "10.25", "queued", T1),
                        eob("c3", "professional", "2024-03-15", "300.00", "0.00", "complete", T1)), "2"))));
        wiremock.stubFor(get(urlPathEqualTo(eobPath(connection))).withQueryParam("page", equalTo("2"))
                .willReturn(okJson(bundle(connection, List.of(
                        eob("c4", "pharmacy", "2024-04-01", "12.99", "12.99", "complete", T2),
                        eob("c5", "professional", "2024-05-20", "45.00", "5.00", "error", T2)), null))));
    }

    @Test
    void manualSyncImportsEveryPageAndASecondSyncWithNothingChangedReportsZero() {
        String user = user();
        UUID connection = fhirConnection(user);
        stubTwoPages(connection);

        Answer first = call("POST", "/api/connections/" + connection + "/sync", userToken(user), null);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("success").asBoolean()).isTrue();
        assertThat(first.body().get("claims_updated").asInt()).isEqualTo(5);
        assertThat(first.body().get("sync_id").asString()).isNotBlank();
        assertThat(first.body().get("last_sync_at").asString()).isNotBlank();

        Answer second = call("POST", "/api/connections/" + connection + "/sync", userToken(user), null);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body().get("claims_updated").asInt()).isZero();
        assertThat(second.body().get("sync_id").asString()).isNotEqualTo(first.body().get("sync_id").asString());
        // Incremental: the second run asked only for what changed since the highest lastUpdated seen.
        wiremock.verify(getRequestedFor(urlPathEqualTo(eobPath(connection)))
                .withQueryParam("_lastUpdated", equalTo("ge" + T2)));

        Answer run = call("GET", "/api/syncs/" + second.body().get("sync_id").asString(), userToken(user), null);
        assertThat(run.status()).isEqualTo(200);
        assertThat(run.body().get("status").asString()).isEqualTo("succeeded");
        assertThat(run.body().get("trigger").asString()).isEqualTo("manual");
        assertThat(run.body().get("claims_unchanged").asInt()).isEqualTo(5);

        // A claim the provider changed is updated, the others stay as they were.
        wiremock.stubFor(get(urlPathEqualTo(eobPath(connection))).withQueryParam("page", absent())
                .willReturn(okJson(bundle(connection, List.of(
                        eob("c5", "professional", "2024-05-20", "45.00", "0.00", "complete", T2.plusSeconds(60))),
                        null))));
        Answer third = call("POST", "/api/connections/" + connection + "/sync", userToken(user), null);
        assertThat(third.body().get("claims_updated").asInt()).isEqualTo(1);
        assertThat(jdbc.sql("select status from claim where connection_id = :id and provider_claim_id = 'c5'")
                .param("id", connection).query(String.class).single()).isEqualTo("processed");
        assertThat(count("select count(*) from claim where connection_id = :id", connection)).isEqualTo(5);
        assertThat(count("""
                select count(*) from event_outbox where event_type = 'claims.synced' and event_key = :id::text
                """, connection)).isEqualTo(3);
        assertThat(meters.get("claims.sync.duration").tag("status", "succeeded").tag("trigger", "manual").timer()
                .count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void claimsShowThePatientsNameFromThePatientResourceAndTheEventCarriesTheNextSync() {
        String user = user();
        UUID connection = fhirConnection(user);
        stubTwoPages(connection);
        wiremock.stubFor(get(urlPathEqualTo("/fhir/" + connection + "/Patient/patient-001")).willReturn(okJson("""
                {"resourceType":"Patient","id":"patient-001","name":[
                  {"use":"official","family":"Doe","given":["Jonathan","Q"]},
                  {"use":"usual","given":["Jon"],"family":"Doe"}]}
                """)));

        Answer sync = call("POST", "/api/connections/" + connection + "/sync", userToken(user), null);
        assertThat(sync.status()).isEqualTo(200);
        // Read once per sync, however many pages.
        wiremock.verify(1, getRequestedFor(urlPathEqualTo("/fhir/" + connection + "/Patient/patient-001")));
        Answer claims = call("GET", "/api/connections/" + connection + "/claims", userToken(user), null);
        assertThat(claims.body().get("claims").valueStream().map(c -> c.get("patient_name").asString()).toList())
                .hasSize(5).containsOnly("Jon Doe");

        String payload = jdbc.sql("""
                select payload from event_outbox where event_type = 'claims.synced' and event_key = :id::text
                """).param("id", connection).query(String.class).single();
        String next = json.readTree(payload).path("data").path("next_sync_at").asString();
        Instant scheduled = jdbc.sql("select next_sync_at from connection where id = :id").param("id", connection)
                .query(java.sql.Timestamp.class).single().toInstant();
        assertThat(Instant.parse(next)).isEqualTo(scheduled).isAfter(Instant.now().plusSeconds(3600));

        // Without a readable Patient resource the sync still succeeds and claims keep the EOB's patient display.
        String other = user();
        UUID second = fhirConnection(other);
        stubTwoPages(second);
        wiremock.stubFor(get(urlPathEqualTo("/fhir/" + second + "/Patient/patient-001")).willReturn(serverError()));
        assertThat(call("POST", "/api/connections/" + second + "/sync", userToken(other), null).status())
                .isEqualTo(200);
        assertThat(call("GET", "/api/connections/" + second + "/claims", userToken(other), null).body()
                .get("claims").get(0).get("patient_name").asString()).isEqualTo("John Doe");
    }

    @Test
    void tenConcurrentSyncsOfOneConnectionCoalesceIntoOneRun() throws Exception {
        String user = user();
        UUID connection = fhirConnection(user);
        wiremock.stubFor(get(urlPathEqualTo(eobPath(connection)))
                .willReturn(okJson(bundle(connection, List.of(
                        eob("k1", "professional", "2024-01-05", "10.00", "1.00", "complete", T1)), null))
                        .withFixedDelay(1500)));
        String token = userToken(user);
        List<Callable<Answer>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(() -> call("POST", "/api/connections/" + connection + "/sync", token, null));
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        Set<String> syncIds = new HashSet<>();
        try {
            for (Future<Answer> answer : pool.invokeAll(calls)) {
                assertThat(answer.get().status()).isEqualTo(200);
                syncIds.add(answer.get().body().get("sync_id").asString());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(syncIds).hasSize(1);
        assertThat(count("select count(*) from sync_run where connection_id = :id", connection)).isEqualTo(1);
        assertThat(count("select count(*) from claim where connection_id = :id", connection)).isEqualTo(1);
    }

    @Test
    void aProviderErrorMidSyncKeepsTheEarlierPagesAndFailsTheRunWithItsReason() {
        String user = user();
        UUID connection = fhirConnection(user);
        wiremock.stubFor(get(urlPathEqualTo(eobPath(connection))).withQueryParam("page", absent())
                .willReturn(okJson(bundle(connection, List.of(
                        eob("f1", "professional", "2024-01-05", "10.00", "1.00", "complete", T1),
                        eob("f2", "professional", "2024-01-06", "20.00", "2.00", "complete", T1)), "2"))));
        wiremock.stubFor(get(urlPathEqualTo(eobPath(connection))).withQueryParam("page", equalTo("2"))
                .willReturn(serverError()));

        Answer answer = call("POST", "/api/connections/" + connection + "/sync", userToken(user), null);

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body().get("code").asString()).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(count("select count(*) from claim where connection_id = :id", connection)).isEqualTo(2);
        SyncRun run = jdbc.sql("""
                select id, connection_id, trigger, status, claims_created, claims_updated, claims_unchanged,
                       error_code, error, started_at, finished_at
                from sync_run where connection_id = :id
                """).param("id", connection)
                .query((rs, n) -> new SyncRun(rs.getObject(1, UUID.class), connection, rs.getString(3),
                        rs.getString(4), rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getString(8), rs.getString(9),
                        Instant.now(), null))
                .single();
        assertThat(run.status()).isEqualTo("failed");
        assertThat(run.claimsCreated()).isEqualTo(2);
        assertThat(run.errorCode()).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(run.error()).contains("page 2").contains("500");
        // The cursor did not move: the next run reads the failed range again.
        assertThat(connections.find(connection).orElseThrow().syncCursor()).isNull();
        assertThat(connections.find(connection).orElseThrow().nextSyncAt()).isAfter(Instant.now());
    }

    @Test
    void athenahealthClaimsArriveThroughAthenaService() {
        String user = user();
        UUID connection = UUID.randomUUID();
        connections.upsertCreated(connection, user, TENANT, "athenahealth", "athenahealth", "active");
        String path = "/api/athena/connections/" + connection + "/claims";
        wiremock.stubFor(get(urlPathEqualTo(path)).withQueryParam("page_token", absent())
                .withHeader("Authorization", equalTo("Bearer service-token"))
                .willReturn(okJson("""
                        {"claims":[{"claim_id":"A-1","service_date":"2024-02-01","total_amount":"120.00",
                          "patient_responsibility":"20.00","status":"CLOSED","provider_name":"Dr. Who",
                          "unknown_field":{"x":1}}],
                         "next_page_token":"p2"}
                        """)));
        wiremock.stubFor(get(urlPathEqualTo(path)).withQueryParam("page_token", equalTo("p2"))
                .willReturn(okJson("""
                        {"claims":[{"claimId":"A-2","serviceDate":"2024-03-01","totalAmount":{"value":55.5},
                          "status":"open"}]}
                        """)));

        Answer answer = call("POST", "/api/connections/" + connection + "/sync", userToken(user), null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("claims_updated").asInt()).isEqualTo(2);
        Answer list = call("GET", "/api/connections/" + connection + "/claims", userToken(user), null);
        assertThat(list.body().get("claims")).hasSize(2);
        assertThat(list.body().get("claims").get(0).get("provider_claim_id").asString()).isEqualTo("A-2");
        assertThat(list.body().get("claims").get(1).get("total_amount").decimalValue())
                .isEqualByComparingTo("120.00");
    }

    @Test
    void aConnectionThatNeedsReauthenticationIsNotSynced() {
        String user = user();
        UUID connection = fhirConnection(user);
        connections.markReauthRequired(connection, user, TENANT, "trellis");

        Answer answer = call("POST", "/api/connections/" + connection + "/sync", userToken(user), null);

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.body().get("code").asString()).isEqualTo("REAUTH_REQUIRED");
        assertThat(count("select count(*) from sync_run where connection_id = :id", connection)).isZero();
    }

    @Test
    void theSchedulerSyncsDueConnections() {
        String user = user();
        UUID connection = fhirConnection(user);
        stubTwoPages(connection);
        jdbc.sql("update connection set next_sync_at = now() + interval '1 day' where id <> :id")
                .param("id", connection).update();
        jdbc.sql("update connection set next_sync_at = now() - interval '1 minute', last_sync_at = now() "
                + "where id = :id").param("id", connection).update();

        syncs.runDue();

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> count(
                "select count(*) from sync_run where connection_id = :id and status = 'succeeded'", connection) == 1);
        assertThat(jdbc.sql("select trigger from sync_run where connection_id = :id").param("id", connection)
                .query(String.class).single()).isEqualTo("scheduled");
        assertThat(connections.find(connection).orElseThrow().nextSyncAt()).isAfter(Instant.now().plusSeconds(3600));
    }

    @Test
    void aConnectionNotYetInTheProjectionIsLookedUpOnceAtProviderConnectionService() {
        String owner = user();
        UUID connection = UUID.randomUUID();
        wiremock.stubFor(get(urlPathEqualTo("/internal/connections/" + connection)).willReturn(okJson("""
                {"connection_id":"%s","consumer_id":"%s","tenant_id":"%s","provider_key":"trellis",
                 "provider_type":"fhir","status":"active"}
                """.formatted(connection, owner, TENANT))));

        assertThat(call("GET", "/api/connections/" + connection + "/claims", userToken(user()), null).status())
                .isEqualTo(404);
        assertThat(connections.find(connection)).isEmpty();
        Answer mine = call("GET", "/api/connections/" + connection + "/claims", userToken(owner), null);
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.body().get("claims")).isEmpty();
        assertThat(connections.find(connection).orElseThrow().consumerId()).isEqualTo(owner);
        assertThat(call("GET", "/api/connections/" + UUID.randomUUID() + "/claims", userToken(owner), null)
                .status()).isEqualTo(404);
    }

    @org.springframework.beans.factory.annotation.Autowired
    SyncService syncs;

    @org.springframework.beans.factory.annotation.Autowired
    io.micrometer.core.instrument.MeterRegistry meters;
}
