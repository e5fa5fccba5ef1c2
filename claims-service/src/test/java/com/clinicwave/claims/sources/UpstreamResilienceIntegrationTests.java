package com.clinicwave.claims.sources;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.badRequest;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.clinicwave.claims.ClaimsIntegrationTest;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Provider calls under Resilience4j (deploy/config-repo/claims-service.yml): a transient 5xx is retried, a 4xx is
 * not, and a provider failing again and again opens its breaker, after which a sync is refused without a call.
 * Each test connection has its own FHIR base URL, so its own breaker.
 */
class UpstreamResilienceIntegrationTests extends ClaimsIntegrationTest {

    private static final Instant UPDATED = Instant.parse("2024-06-01T10:00:00Z");

    @Autowired
    UpstreamResilience resilience;

    @Autowired
    MeterRegistry meters;

    @Test
    void aTransientServerErrorIsRetriedAndTheSyncSucceeds() {
        String user = user();
        UUID connection = fhirConnection(user);
        String scenario = "flaky-" + connection;
        wiremock.stubFor(get(urlPathEqualTo(eobPath(connection))).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(503))
                .willSetStateTo("recovered"));
        wiremock.stubFor(get(urlPathEqualTo(eobPath(connection))).inScenario(scenario)
                .whenScenarioStateIs("recovered").willReturn(okJson(bundle(connection, List.of(
                        eob("r1", "professional", "2024-01-05", "10.00", "1.00", "complete", UPDATED)), null))));

        Answer answer = call("POST", "/api/connections/" + connection + "/sync", userToken(user), null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("claims_updated").asInt()).isEqualTo(1);
        wiremock.verify(2, getRequestedFor(urlPathEqualTo(eobPath(connection))));
        assertThat(meters.get("resilience4j.retry.calls").tag("name", breakerName(connection))
                .tag("kind", "successful_with_retry").functionCounter().count()).isEqualTo(1);
    }

    @Test
    void aClientErrorIsNotRetried() {
        String user = user();
        UUID connection = fhirConnection(user);
        wiremock.stubFor(get(urlPathEqualTo(eobPath(connection))).willReturn(badRequest()));

        Answer answer = call("POST", "/api/connections/" + connection + "/sync", userToken(user), null);

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.body().get("code").asString()).isEqualTo(SyncFailure.UPSTREAM_INVALID_RESPONSE);
        wiremock.verify(1, getRequestedFor(urlPathEqualTo(eobPath(connection))));
        // A 4xx says nothing about the provider's health: the breaker saw no failure.
        assertThat(breaker(connection).getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @Test
    void repeatedFailuresOpenTheBreakerAndTheNextSyncIsRefusedWithoutCallingTheProvider() {
        String user = user();
        UUID connection = fhirConnection(user);
        wiremock.stubFor(get(urlPathEqualTo(eobPath(connection))).willReturn(serverError()));

        for (int sync = 0; sync < 2; sync++) {
            Answer failed = call("POST", "/api/connections/" + connection + "/sync", userToken(user), null);
            assertThat(failed.status()).isEqualTo(503);
        }
        assertThat(breaker(connection).getState()).isEqualTo(CircuitBreaker.State.OPEN);
        int calls = wiremock.findAll(getRequestedFor(urlPathEqualTo(eobPath(connection)))).size();
        assertThat(calls).isBetween(3, 6);

        Answer refused = call("POST", "/api/connections/" + connection + "/sync", userToken(user), null);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body().get("code").asString()).isEqualTo(SyncFailure.CIRCUIT_OPEN);
        wiremock.verify(calls, getRequestedFor(urlPathEqualTo(eobPath(connection))));
        assertThat(jdbc.sql("""
                select error_code from sync_run where connection_id = :id order by started_at desc limit 1
                """).param("id", connection).query(String.class).single()).isEqualTo(SyncFailure.CIRCUIT_OPEN);
        // resilience4j_circuitbreaker_state{name,state} at /actuator/prometheus.
        assertThat(meters.get("resilience4j.circuitbreaker.state").tag("name", breakerName(connection))
                .tag("state", "open").gauge().value()).isEqualTo(1.0);
    }

    private CircuitBreaker breaker(UUID connection) {
        return resilience.fhirCircuitBreaker(URI.create(wiremock.baseUrl() + "/fhir/" + connection + "/"));
    }

    private static String breakerName(UUID connection) {
        return "fhir:" + wiremock.baseUrl() + "/fhir/" + connection + "/";
    }
}
