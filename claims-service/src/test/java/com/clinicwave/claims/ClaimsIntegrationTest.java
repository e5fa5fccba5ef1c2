package com.clinicwave.claims;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import ca.uhn.fhir.context.FhirContext;
import com.clinicwave.claims.connections.ConnectionStore;
import com.clinicwave.testsupport.TestJwts;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shared setup of the integration tests (one Spring context for all): real PostgreSQL and Kafka from test
 * support, WireMock standing in for auth-service's token endpoint, provider-connection-service's internal API,
 * providers' FHIR servers and athena-service.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "clinicwave.service-client.client-secret=test-secret",
    "clinicwave.claims.services.load-balanced=false",
    "clinicwave.claims.sync.scheduler-initial-delay=1h",
    "clinicwave.claims.sync.page-size=3"})
@Import(TestTopics.class)
public abstract class ClaimsIntegrationTest {

    protected static final WireMockServer wiremock = startWireMock();
    protected static final FhirContext FHIR = FhirContext.forR4Cached();
    protected static final String TENANT = "11111111-1111-1111-1111-111111111111";
    protected static final List<String> PATIENT = List.of("claims:read", "claims:sync", "claims:verify");

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected ConnectionStore connections;

    @Autowired
    protected JsonMapper json;

    private static WireMockServer startWireMock() {
        WireMockServer server = new WireMockServer(options().dynamicPort().containerThreads(20));
        server.start();
        server.stubFor(post(urlPathEqualTo("/oauth2/token"))
                .willReturn(okJson("{\"access_token\":\"service-token\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        return server;
    }

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("clinicwave.service-client.token-url", () -> wiremock.baseUrl() + "/oauth2/token");
        registry.add("clinicwave.claims.services.provider-connections", wiremock::baseUrl);
        registry.add("clinicwave.claims.services.athena", wiremock::baseUrl);
        // The stand-in FHIR server is http on this machine, as the sandbox is in the local profile.
        registry.add("clinicwave.provider-urls.enforced", () -> "false");
    }

    /** A FHIR connection owned by {@code userId}, known to the projection and to the stubbed token API. */
    protected UUID fhirConnection(String userId) {
        UUID id = UUID.randomUUID();
        connections.upsertCreated(id, userId, TENANT, "trellis", "fhir", "active");
        jdbc.sql("update connection set next_sync_at = now() + interval '1 day' where id = :id").param("id", id)
                .update();
        stubAccessToken(id, "fhir");
        return id;
    }

    protected void stubAccessToken(UUID connectionId, String providerType) {
        wiremock.stubFor(get(urlPathEqualTo("/internal/connections/" + connectionId + "/access-token"))
                .willReturn(okJson("""
                        {"connection_id":"%s","consumer_id":"u","tenant_id":"%s","provider_key":"trellis",
                         "provider_type":"%s","status":"active","access_token":"provider-token",
                         "token_type":"Bearer","expires_at":"2099-01-01T00:00:00Z",
                         "fhir_base_url":"%s/fhir/%s","patient_id":"patient-001"}
                        """.formatted(connectionId, TENANT, providerType, wiremock.baseUrl(), connectionId))));
    }

    protected static String eobPath(UUID connectionId) {
        return "/fhir/" + connectionId + "/ExplanationOfBenefit";
    }

    /** A Bundle of EOBs; with a next link to {@code nextPage} of the same search when given. */
    protected static String bundle(UUID connectionId, List<ExplanationOfBenefit> eobs, String nextPage) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        eobs.forEach(eob -> bundle.addEntry().setResource(eob));
        if (nextPage != null) {
            bundle.addLink().setRelation("next")
                    .setUrl(wiremock.baseUrl() + eobPath(connectionId) + "?page=" + nextPage);
        }
        return FHIR.newJsonParser().encodeResourceToString(bundle);
    }

    protected static ExplanationOfBenefit eob(String id, String type, String date, String total, String patientPay,
            String outcome, Instant lastUpdated) {
        ExplanationOfBenefit eob = new ExplanationOfBenefit();
        eob.setId(id);
        eob.getMeta().setLastUpdated(Date.from(lastUpdated));
        eob.setStatus(ExplanationOfBenefit.ExplanationOfBenefitStatus.ACTIVE);
        eob.setOutcome(ExplanationOfBenefit.RemittanceOutcome.fromCode(outcome));
        eob.getType().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/claim-type").setCode(type);
        eob.setBillablePeriod(new Period().setStartElement(new org.hl7.fhir.r4.model.DateTimeType(date)));
        eob.setPatient(new Reference("Patient/patient-001").setDisplay("John Doe"));
        eob.setProvider(new Reference("Organization/org-1").setDisplay("Downtown Dental Associates"));
        eob.addItem().setSequence(1).getProductOrService().setText("Dental cleaning and examination");
        eob.addTotal().setAmount(new Money().setValue(new BigDecimal(total)).setCurrency("USD"))
                .getCategory().addCoding().setCode("submitted");
        eob.addTotal().setAmount(new Money().setValue(new BigDecimal(patientPay)).setCurrency("USD"))
                .getCategory().addCoding().setCode("memberliability");
        return eob;
    }

    protected static String userToken(String userId) {
        return TestJwts.user(userId, TENANT, PATIENT, List.of("patient"));
    }

    protected record Answer(int status, JsonNode body, String contentType) {
    }

    protected Answer call(String method, String path, String token, String body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode parsed = response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
            return new Answer(response.statusCode(), parsed,
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected long count(String sql, UUID connectionId) {
        return jdbc.sql(sql).param("id", connectionId).query(Long.class).single();
    }

    protected static String user() {
        return UUID.randomUUID().toString();
    }
}
