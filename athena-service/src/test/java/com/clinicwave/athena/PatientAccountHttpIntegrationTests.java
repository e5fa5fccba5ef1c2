package com.clinicwave.athena;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.clinicwave.athena.upstream.AthenaResilience;
import com.clinicwave.testsupport.TestJwts;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

class PatientAccountHttpIntegrationTests extends AthenaIntegrationTest {

    @Autowired
    AthenaResilience resilience;

    @Autowired
    StringRedisTemplate redis;

    @Test
    void theFourRoutesReturnThePatientsAccountFromAthenahealth() {
        Connection connection = connection("provider-token-1");
        stubAthena(connection, "provider-token-1");
        String base = "/api/athena/connections/" + connection.id();

        Answer patient = call(base + "/patient", connection.userToken());
        assertThat(patient.status()).isEqualTo(200);
        assertThat(patient.contentType()).startsWith("application/json");
        JsonNode p = patient.body();
        assertThat(p.path("connection_id").asString()).isEqualTo(connection.id());
        assertThat(p.path("patient_id").asString()).isEqualTo(connection.patientId());
        assertThat(p.path("practice_id").asString()).isEqualTo("195900");
        assertThat(p.path("first_name").asString()).isEqualTo("Ada");
        assertThat(p.path("last_name").asString()).isEqualTo("Lovelace");
        assertThat(p.path("date_of_birth").asString()).isEqualTo("1985-12-10");
        assertThat(p.path("address").path("postal_code").asString()).isEqualTo("02110");
        assertThat(p.has("middle_name")).as("fields athenahealth omits are present and empty").isTrue();
        assertThat(p.has("unknown_field")).isFalse();

        JsonNode appointments = call(base + "/appointments", connection.userToken()).body();
        assertThat(appointments.path("total_count").asInt()).isEqualTo(2);
        assertThat(appointments.path("appointments").get(0).path("appointment_id").asString()).isEqualTo("1001");
        assertThat(appointments.path("appointments").get(0).path("date").asString()).isEqualTo("2026-12-01");
        assertThat(appointments.path("appointments").get(0).path("status").asString()).isEqualTo("scheduled");
        assertThat(appointments.path("appointments").get(1).path("duration_minutes").asInt()).isEqualTo(45);
        assertThat(appointments.path("appointments").get(1).path("status").asString()).isEqualTo("checked_out");

        JsonNode balance = call(base + "/balance", connection.userToken()).body();
        assertThat(balance.path("total_balance").asString()).isEqualTo("125.5");
        assertThat(balance.path("currency").asString()).isEqualTo("USD");
        assertThat(balance.path("statements").get(0).path("amount_due").asString()).isEqualTo("125.50");
        assertThat(balance.path("statements").get(0).path("due_date").asString()).isEqualTo("2026-11-30");

        JsonNode claims = call(base + "/claims", connection.userToken()).body();
        assertThat(claims.path("claims").get(0).path("claim_id").asString()).isEqualTo("C-1");
        assertThat(claims.path("claims").get(0).path("patient_responsibility").asString()).isEqualTo("50.00");
        assertThat(claims.path("claims").get(0).path("procedure_codes").get(0).asString()).isEqualTo("99213");
        assertThat(claims.path("next_page_token").asString()).isEqualTo("page-2");

        JsonNode page2 = call(base + "/claims?page_token=page-2", connection.userToken()).body();
        assertThat(page2.path("claims").get(0).path("claim_id").asString()).isEqualTo("C-2");
        assertThat(page2.path("claims").get(0).path("total_charge").asString()).isEqualTo("80");
        assertThat(page2.path("next_page_token").asString()).isEmpty();
    }

    @Test
    void anApiBaseUrlThatAlreadyEndsInTheVersionIsUsedAsItIs() {
        Connection connection = connection("versioned-token");
        stubAccessToken(connection, false, "versioned-token", Instant.now().plusSeconds(3600),
                connection.apiBaseUrl() + "/v1/");
        stubAthena(connection, "versioned-token");

        Answer answer = call("/api/athena/connections/" + connection.id() + "/patient", connection.userToken());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("first_name").asString()).isEqualTo("Ada");
    }

    @Test
    void theProviderTokenIsFetchedOnceForSeveralCalls() {
        Connection connection = connection("cached-token");
        stubAthena(connection, "cached-token");
        String base = "/api/athena/connections/" + connection.id();

        for (String route : List.of("/patient", "/appointments", "/balance", "/claims", "/patient")) {
            assertThat(call(base + route, connection.userToken()).status()).isEqualTo(200);
        }

        assertThat(requests(getRequestedFor(urlPathEqualTo("/internal/connections/" + connection.id()
                + "/access-token")))).isEqualTo(1);
        assertThat(requests(getRequestedFor(urlPathEqualTo("/internal/connections/" + connection.id()))))
                .as("ownership is cached briefly too").isEqualTo(1);
        String cached = redis.opsForValue().get("athena:provider-token:" + connection.id());
        assertThat(cached).as("the provider token is cached, sealed").isNotNull().doesNotContain("cached-token");
    }

    @Test
    void aTokenAthenahealthRefusesIsRefreshedOnceAndTheCallSucceeds() {
        Connection connection = connection("expired-token");
        stubAccessToken(connection, true, "refreshed-token", Instant.now().plusSeconds(3600));
        WIREMOCK.stubFor(get(urlPathEqualTo(connection.athenaPath(""))).withHeader("Authorization",
                equalTo("Bearer expired-token")).willReturn(aResponse().withStatus(401)));
        stubAthena(connection, "refreshed-token");

        Answer answer = call("/api/athena/connections/" + connection.id() + "/patient", connection.userToken());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("first_name").asString()).isEqualTo("Ada");
        assertThat(requests(getRequestedFor(urlPathEqualTo("/internal/connections/" + connection.id()
                + "/access-token")).withQueryParam("force_refresh", equalTo("true")))).isEqualTo(1);

        // The refreshed token is the one cached now.
        assertThat(call("/api/athena/connections/" + connection.id() + "/balance", connection.userToken()).status())
                .isEqualTo(200);
        assertThat(requests(getRequestedFor(urlPathEqualTo("/internal/connections/" + connection.id()
                + "/access-token")))).isEqualTo(2);
    }

    @Test
    void aConnectionThatCannotBeRefreshedAnswersReauthRequired() {
        Connection connection = connection("dead-token");
        stubReauthRequired(connection);
        WIREMOCK.stubFor(get(urlPathEqualTo(connection.athenaPath("appointments")))
                .willReturn(aResponse().withStatus(401)));

        Answer answer = call("/api/athena/connections/" + connection.id() + "/appointments", connection.userToken());

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.code()).isEqualTo("REAUTH_REQUIRED");
        assertThat(answer.body().has("trace_id")).isTrue();
        assertThat(answer.body().toString()).doesNotContain("dead-token");
    }

    @Test
    void aConnectionMarkedReauthRequiredAnswersReauthRequiredWithoutCallingAthenahealth() {
        Connection connection = connection("unused-token");
        stubConnectionInfo(connection, "reauth_required");

        Answer answer = call("/api/athena/connections/" + connection.id() + "/patient", connection.userToken());

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.code()).isEqualTo("REAUTH_REQUIRED");
        assertThat(requests(getRequestedFor(urlPathMatching(connection.apiBasePath() + "/.*")))).isZero();
    }

    @Test
    void athenahealthRateLimitIsRetriedAfterRetryAfter() {
        Connection connection = connection("busy-token");
        stubAthena(connection, "busy-token");
        String path = connection.athenaPath("balance");
        WIREMOCK.stubFor(get(urlPathEqualTo(path)).inScenario("rate-" + connection.id())
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
                .willSetStateTo("limited-once"));
        WIREMOCK.stubFor(get(urlPathEqualTo(path)).inScenario("rate-" + connection.id())
                .whenScenarioStateIs("limited-once")
                .willReturn(okJson("{\"balance\":\"10.00\",\"statements\":[]}")));

        long started = System.nanoTime();
        Answer answer = call("/api/athena/connections/" + connection.id() + "/balance", connection.userToken());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("total_balance").asString()).isEqualTo("10.00");
        assertThat(requests(getRequestedFor(urlPathEqualTo(path)))).isEqualTo(2);
        assertThat(took).as("waited for Retry-After").isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void athenahealthDownOpensTheCircuitAndAnswersAreAFast503() {
        Connection connection = connection("down-token");
        WIREMOCK.stubFor(get(urlPathMatching(connection.apiBasePath() + "/.*"))
                .willReturn(aResponse().withStatus(503)));
        String route = "/api/athena/connections/" + connection.id() + "/patient";

        // Two calls of three attempts each fill the breaker's window of four with failures.
        for (int i = 0; i < 2; i++) {
            Answer answer = call(route, connection.userToken());
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.code()).isEqualTo("UPSTREAM_UNAVAILABLE");
        }
        CircuitBreaker breaker = resilience.circuitBreaker("athenahealth:localhost:" + WIREMOCK.port()
                + connection.apiBasePath());
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        int callsToAthena = requests(getRequestedFor(urlPathMatching(connection.apiBasePath() + "/.*")));

        Answer fast = call(route, connection.userToken());

        assertThat(fast.status()).isEqualTo(503);
        assertThat(fast.code()).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(requests(getRequestedFor(urlPathMatching(connection.apiBasePath() + "/.*"))))
                .as("an open circuit does not call athenahealth").isEqualTo(callsToAthena);
    }

    @Test
    void anotherUsersConnectionIsNotFound() {
        Connection connection = connection("someone-elses-token");
        stubAthena(connection, "someone-elses-token");
        String stranger = TestJwts.user(UUID.randomUUID().toString(), TENANT, List.of("athena:read"),
                List.of("patient"));

        Answer answer = call("/api/athena/connections/" + connection.id() + "/patient", stranger);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.code()).isEqualTo("NOT_FOUND");
        assertThat(requests(getRequestedFor(urlPathEqualTo(connection.athenaPath(""))))).isZero();
    }

    @Test
    void anUnknownConnectionIsNotFound() {
        String id = UUID.randomUUID().toString();
        WIREMOCK.stubFor(get(urlPathEqualTo("/internal/connections/" + id))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\":404,\"code\":\"NOT_FOUND\"}")));
        String token = TestJwts.user(UUID.randomUUID().toString(), TENANT, List.of("athena:read"), List.of());

        Answer answer = call("/api/athena/connections/" + id + "/claims", token);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.code()).isEqualTo("NOT_FOUND");

        WIREMOCK.stubFor(get(urlPathEqualTo("/internal/connections/not-a-uuid"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\":400,\"code\":\"MALFORMED_REQUEST\"}")));
        assertThat(call("/api/athena/connections/not-a-uuid/claims", token).status()).isEqualTo(404);
        assertThat(call("/api/athena/connections/" + "x".repeat(100) + "/claims", token).status()).isEqualTo(404);
    }

    @Test
    void claimsServiceWithItsOperationScopeReadsClaimsOnly() {
        Connection connection = connection("service-read-token");
        stubAthena(connection, "service-read-token");
        // As auth-service issues it: an internal client's token, audience clinicwave-internal only.
        String claimsService = internalServiceToken("claims-service", "connections:token athena:claims:read");

        Answer answer = call("/api/athena/connections/" + connection.id() + "/claims", claimsService);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("claims").get(0).path("claim_id").asString()).isEqualTo("C-1");
    }

    @Test
    void aServiceCallerAskingForAnOperationItDoesNotNeedIsForbidden() {
        Connection connection = connection("service-denied-token");
        stubAthena(connection, "service-denied-token");
        String claimsService = internalServiceToken("claims-service", "connections:token athena:claims:read");
        // The attack: claims-service's identity (or a stolen token of it) reading a patient's demographics,
        // appointments or balance — operations it never needs.
        for (String route : List.of("patient", "appointments", "balance")) {
            Answer answer = call("/api/athena/connections/" + connection.id() + "/" + route, claimsService);
            assertThat(answer.status()).as(route).isEqualTo(403);
            assertThat(answer.code()).as(route).isEqualTo("INSUFFICIENT_PERMISSIONS");
        }
        // The old blanket scope no longer opens anything for a service.
        Answer blanket = call("/api/athena/connections/" + connection.id() + "/claims",
                TestJwts.service("claims-service", List.of("connections:token", "athena:read")));
        assertThat(blanket.status()).isEqualTo(403);
        // A user token carrying a service scope but not the permission gets nothing either.
        Answer userWithScope = call("/api/athena/connections/" + connection.id() + "/claims",
                TestJwts.sign(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject(connection.ownerId())
                        .claim("tid", TENANT).claim("permissions", List.of()).claim("roles", List.of())
                        .claim("scope", "athena:claims:read").build(), Duration.ofMinutes(5)));
        assertThat(userWithScope.status()).isEqualTo(403);
        assertThat(requests(getRequestedFor(urlPathMatching(connection.apiBasePath() + "/.*")))).isZero();
    }

    private static String internalServiceToken(String clientId, String scope) {
        return TestJwts.sign(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject(clientId).claim("client_id", clientId)
                .audience("clinicwave-internal").claim("scope", scope).build(), Duration.ofMinutes(5));
    }

    @Test
    void callersWithoutATokenOrWithoutAthenaReadAreRefused() {
        Connection connection = connection("never-used");
        String route = "/api/athena/connections/" + connection.id() + "/patient";

        Answer anonymous = call(route, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).startsWith("application/problem+json");

        Answer garbage = call(route, "not-a-jwt");
        assertThat(garbage.status()).isEqualTo(401);
        assertThat(garbage.code()).isEqualTo("TOKEN_INVALID");

        Answer withoutPermission = call(route, TestJwts.user(connection.ownerId(), TENANT, List.of("claims:read"),
                List.of("patient")));
        assertThat(withoutPermission.status()).isEqualTo(403);
        assertThat(withoutPermission.code()).isEqualTo("INSUFFICIENT_PERMISSIONS");

        Answer wrongService = call(route, TestJwts.service("demo-service", List.of("connections:read")));
        assertThat(wrongService.status()).isEqualTo(403);
        assertThat(requests(getRequestedFor(urlPathMatching(connection.apiBasePath() + "/.*")))).isZero();
    }

    @Test
    void theApiDescriptionAndHealthAreOpen() {
        Answer docs = call("/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().path("paths").has("/api/athena/connections/{connection_id}/claims")).isTrue();
        assertThat(call("/actuator/health/readiness", null).status()).isEqualTo(200);
    }

    @Test
    void claimsPassPageSizeAndUpdatedSinceToAthenahealth() {
        Connection connection = connection("incremental-token");
        WIREMOCK.stubFor(get(urlPathEqualTo(connection.athenaPath("claims")))
                .withQueryParam("limit", equalTo("25"))
                .withQueryParam("updated_since", equalTo("2026-11-01T00:00:00Z"))
                .willReturn(okJson("{\"claims\":[{\"claimid\":\"C-9\"}],\"totalcount\":1}")));

        Answer answer = call("/api/athena/connections/" + connection.id()
                + "/claims?page_size=25&updated_since=2026-11-01T00:00:00Z", connection.userToken());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("claims").get(0).path("claim_id").asString()).isEqualTo("C-9");
        assertThat(answer.body().path("total_count").asInt()).isEqualTo(1);

        Answer invalid = call("/api/athena/connections/" + connection.id() + "/claims?updated_since=yesterday",
                connection.userToken());
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.code()).isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void providerConnectionServiceDownIsA503AndAthenahealthNotFoundIsA404() {
        Connection down = connection("unused");
        WIREMOCK.stubFor(get(urlPathEqualTo("/internal/connections/" + down.id() + "/access-token"))
                .willReturn(aResponse().withStatus(503)));
        Answer unavailable = call("/api/athena/connections/" + down.id() + "/patient", down.userToken());
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.code()).isEqualTo("UPSTREAM_UNAVAILABLE");

        Connection missing = connection("missing-token");
        WIREMOCK.stubFor(get(urlPathEqualTo(missing.athenaPath(""))).willReturn(aResponse().withStatus(404)));
        Answer notFound = call("/api/athena/connections/" + missing.id() + "/patient", missing.userToken());
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.code()).isEqualTo("NOT_FOUND");
    }

    @Test
    void anOutOfRangePageSizeIsRejected() {
        Connection connection = connection("page-size");
        Answer answer = call("/api/athena/connections/" + connection.id() + "/claims?page_size=5000",
                connection.userToken());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void aTooLongPageTokenIsRejected() {
        Connection connection = connection("page-token");
        Answer answer = call("/api/athena/connections/" + connection.id() + "/claims?page_token=" + "x".repeat(600),
                connection.userToken());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(requests(getRequestedFor(urlPathEqualTo(connection.athenaPath("claims")))
                .withQueryParam("page_token", absent()))).isZero();
    }
}
