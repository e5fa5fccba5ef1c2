package com.clinicwave.sandbox.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import ca.uhn.fhir.context.FhirContext;
import com.clinicwave.sandbox.SandboxIntegrationTest;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;

class FhirIntegrationTests extends SandboxIntegrationTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void patientReadIsBoundToTheTokensPatient() throws Exception {
        String token = connect("trellis", "patient-011").get("access_token").asString();

        MockHttpServletResponse own = mvc.perform(get("/trellis/fhir/Patient/patient-011")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)).andReturn().getResponse();
        assertThat(own.getStatus()).isEqualTo(200);
        assertThat(own.getContentType()).startsWith("application/fhir+json");
        Patient patient = FHIR.newJsonParser().parseResource(Patient.class, own.getContentAsString());
        assertThat(patient.getIdPart()).isEqualTo("patient-011");
        assertThat(patient.getNameFirstRep().getFamily()).isNotBlank();

        assertThat(status("/trellis/fhir/Patient/patient-012", token)).isEqualTo(403);
        assertThat(status("/epic/fhir/Patient/patient-011", token)).isEqualTo(401);
        MockHttpServletResponse anonymous = mvc.perform(get("/trellis/fhir/Patient/patient-011")).andReturn()
                .getResponse();
        assertThat(anonymous.getStatus()).isEqualTo(401);
        assertThat(anonymous.getHeader(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
        assertThat(anonymous.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    }

    @Test
    void pagingWalksEveryClaimOnceInLastUpdatedOrder() throws Exception {
        String token = connect("epic", "patient-001").get("access_token").asString();
        int expected = summary("epic", "patient-001").get("claim_count").asInt();

        List<ExplanationOfBenefit> all = new ArrayList<>();
        String url = "/epic/fhir/ExplanationOfBenefit?patient=patient-001&_count=7";
        int pages = 0;
        while (url != null) {
            Bundle bundle = bundle(url, token);
            assertThat(bundle.getTotal()).isEqualTo(expected);
            bundle.getEntry().forEach(e -> all.add((ExplanationOfBenefit) e.getResource()));
            url = bundle.getLink("next") == null ? null : relative(bundle.getLink("next").getUrl());
            pages++;
        }

        assertThat(all).hasSize(expected);
        assertThat(pages).isEqualTo((expected + 6) / 7);
        Set<String> ids = new HashSet<>();
        all.forEach(eob -> ids.add(eob.getIdPart()));
        assertThat(ids).hasSize(expected);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).getMeta().getLastUpdated()).isAfter(all.get(i - 1).getMeta().getLastUpdated());
        }
        ExplanationOfBenefit first = all.getFirst();
        assertThat(first.getPatient().getReference()).isEqualTo("Patient/patient-001");
        assertThat(first.getTotal()).hasSize(2);
        assertThat(first.getTotalFirstRep().getAmount().getCurrency()).isEqualTo("USD");
        assertThat(first.getTotalFirstRep().getAmount().getValue().scale()).isEqualTo(2);
        assertThat(first.getExtensionByUrl(FhirResources.CLAIM_STATUS_EXTENSION)).isNotNull();
    }

    @Test
    void lastUpdatedFiltersAndTouchedClaimsComeBackInAnIncrementalSync() throws Exception {
        String token = connect("cerner", "patient-002").get("access_token").asString();
        Instant syncedAt = clock.instant();
        String since = "/cerner/fhir/ExplanationOfBenefit?patient=Patient/patient-002&_lastUpdated=ge" + syncedAt;
        assertThat(bundle(since, token).getEntry()).isEmpty();

        clock.advance(seconds(5));
        JsonNode touched = JSON.readTree(mvc.perform(post("/sandbox/admin/data/cerner/patients/patient-002/touch")
                .contentType(MediaType.APPLICATION_JSON).content("{\"count\":3}")).andReturn().getResponse()
                .getContentAsString()).get("touched");
        assertThat(touched).hasSize(3);

        Bundle changed = bundle(since, token);
        assertThat(changed.getTotal()).isEqualTo(3);
        Set<String> ids = new HashSet<>();
        changed.getEntry().forEach(e -> ids.add(e.getResource().getIdElement().getIdPart()));
        Set<String> expected = new HashSet<>();
        touched.forEach(t -> expected.add(t.get("id").asString()));
        assertThat(ids).isEqualTo(expected);

        // A full listing still has every claim exactly once, the touched ones last.
        int count = summary("cerner", "patient-002").get("claim_count").asInt();
        Bundle full = bundle("/cerner/fhir/ExplanationOfBenefit?patient=patient-002&_count=1000", token);
        assertThat(full.getEntry()).hasSize(count);
        assertThat(full.getEntry().getLast().getResource().getMeta().getLastUpdated().toInstant())
                .isEqualTo(clock.instant());

        Bundle older = bundle("/cerner/fhir/ExplanationOfBenefit?patient=patient-002&_lastUpdated=lt2024-01-01", token);
        older.getEntry().forEach(e -> assertThat(e.getResource().getMeta().getLastUpdated().toInstant())
                .isBefore(Instant.parse("2024-01-01T00:00:00Z")));
        assertThat(older.getTotal()).isPositive().isLessThan(count);
    }

    @Test
    void theLargePatientPagesThroughAHundredThousandClaims() throws Exception {
        String token = connect("trellis", "patient-large").get("access_token").asString();

        Bundle first = bundle("/trellis/fhir/ExplanationOfBenefit?patient=patient-large&_count=1000", token);
        assertThat(first.getTotal()).isEqualTo(100_000);
        assertThat(first.getEntry()).hasSize(1000);
        Bundle second = bundle(relative(first.getLink("next").getUrl()), token);
        assertThat(second.getEntry()).hasSize(1000);
        assertThat(second.getEntryFirstRep().getResource().getIdElement().getIdPart())
                .isEqualTo("trellis-patient-large-001000");

        Bundle recent = bundle("/trellis/fhir/ExplanationOfBenefit?patient=patient-large&_count=5"
                + "&_lastUpdated=ge2025-12-30T00:00:00Z", token);
        assertThat(recent.getTotal()).isBetween(1, 200);
        assertThat(recent.getEntryFirstRep().getResource().getMeta().getLastUpdated().toInstant())
                .isAfterOrEqualTo(Instant.parse("2025-12-30T00:00:00Z"));
    }

    @Test
    void searchParametersAreValidated() throws Exception {
        String token = connect("epic", "patient-003").get("access_token").asString();

        assertThat(status("/epic/fhir/ExplanationOfBenefit?patient=patient-004", token)).isEqualTo(403);
        assertThat(status("/epic/fhir/ExplanationOfBenefit?patient=patient-003&_lastUpdated=gebanana", token))
                .isEqualTo(400);
        assertThat(status("/epic/fhir/ExplanationOfBenefit?patient=patient-003&_count=0", token)).isEqualTo(400);
        assertThat(status("/epic/fhir/ExplanationOfBenefit?patient=patient-003&_cursor=%%%", token)).isEqualTo(400);
        assertThat(bundle("/epic/fhir/ExplanationOfBenefit?patient=patient-003&_count=5000", token).getEntry().size())
                .isLessThanOrEqualTo(FhirSearch.MAX_COUNT);
    }

    @Test
    void amountsAreExactDecimals() throws Exception {
        String token = connect("epic", "patient-005").get("access_token").asString();
        String body = mvc.perform(get("/epic/fhir/ExplanationOfBenefit?patient=patient-005&_count=3")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)).andReturn().getResponse().getContentAsString();

        // The raw JSON, not a parsed double: amounts keep their two decimals (e.g. 120.50, not 120.5).
        java.util.regex.Matcher amounts = java.util.regex.Pattern.compile("\"value\":\\s*([0-9.]+)").matcher(body);
        int found = 0;
        while (amounts.find()) {
            assertThat(amounts.group(1)).matches("\\d+\\.\\d{2}");
            found++;
        }
        assertThat(found).isGreaterThanOrEqualTo(9);
    }

    @Test
    void capabilityStatementIsPublic() throws Exception {
        MockHttpServletResponse response = mvc.perform(get("/cerner/fhir/metadata")).andReturn().getResponse();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).contains("CapabilityStatement").contains("ExplanationOfBenefit");
    }

    private Bundle bundle(String url, String token) throws Exception {
        MockHttpServletResponse response = mvc.perform(get(URI.create(url))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)).andReturn().getResponse();
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(Bundle.class, response.getContentAsString());
    }

    private int status(String url, String token) throws Exception {
        return mvc.perform(get(URI.create(url.replace("%%%", "%25%25%25")))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)).andReturn().getResponse().getStatus();
    }

    private JsonNode summary(String provider, String patient) throws Exception {
        return JSON.readTree(mvc.perform(get("/sandbox/admin/data/" + provider + "/patients/" + patient)).andReturn()
                .getResponse().getContentAsString());
    }

    private static String relative(String absolute) {
        URI uri = URI.create(absolute);
        assertThat(uri.getHost()).isEqualTo("localhost");
        return uri.getRawPath() + "?" + uri.getRawQuery();
    }
}
