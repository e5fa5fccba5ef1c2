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
    void searchPagesAreServedFromMemoryAsGzipOrPlainJson() throws Exception {
        String token = connect("epic", "patient-007").get("access_token").asString();
        String url = "/epic/fhir/ExplanationOfBenefit?patient=patient-007&_count=5";

        MockHttpServletResponse plain = mvc.perform(get(url).header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andReturn().getResponse();
        MockHttpServletResponse zipped = mvc.perform(get(url).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .header(HttpHeaders.ACCEPT_ENCODING, "br;q=1.0, gzip;q=0.8")).andReturn().getResponse();
        MockHttpServletResponse again = mvc.perform(get(url).header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andReturn().getResponse();

        assertThat(plain.getHeader(HttpHeaders.CONTENT_ENCODING)).isNull();
        assertThat(plain.getHeader(HttpHeaders.VARY)).contains(HttpHeaders.ACCEPT_ENCODING);
        assertThat(zipped.getStatus()).isEqualTo(200);
        assertThat(zipped.getHeader(HttpHeaders.CONTENT_ENCODING)).isEqualTo("gzip");
        assertThat(zipped.getContentType()).startsWith("application/fhir+json");
        byte[] unpacked;
        try (var in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(zipped.getContentAsByteArray()))) {
            unpacked = in.readAllBytes();
        }
        // One rendering, served as is: the same bytes every time, plain or packed.
        assertThat(unpacked).isEqualTo(plain.getContentAsByteArray());
        assertThat(again.getContentAsByteArray()).isEqualTo(plain.getContentAsByteArray());
        Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, new String(unpacked,
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(bundle.getEntry()).hasSize(5);
        assertThat(bundle.getLink("self").getUrl()).endsWith("?patient=patient-007&_count=5");
        assertThat(bundle.getLink("next").getUrl()).contains("_cursor=");
        // A client that refuses gzip gets JSON.
        assertThat(mvc.perform(get(url).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .header(HttpHeaders.ACCEPT_ENCODING, "gzip;q=0")).andReturn().getResponse()
                .getHeader(HttpHeaders.CONTENT_ENCODING)).isNull();
        // The token still decides: another patient's search is refused even though its pages may be in memory.
        assertThat(status("/epic/fhir/ExplanationOfBenefit?patient=patient-008&_count=5", token)).isEqualTo(403);
    }

    @org.springframework.beans.factory.annotation.Autowired
    FhirResources resources;

    @org.springframework.beans.factory.annotation.Autowired
    SearchSetJson searchSets;

    @org.springframework.beans.factory.annotation.Autowired
    com.clinicwave.sandbox.data.SandboxData data;

    @org.springframework.beans.factory.annotation.Autowired
    com.clinicwave.sandbox.provider.Providers providers;

    @Test
    void theStreamedSearchSetIsTheBundleHapiBuilds() throws Exception {
        // Touched claims too: other statuses and lastUpdated values than generated ones.
        mvc.perform(post("/sandbox/admin/data/cerner/patients/patient-030/touch")
                .contentType(MediaType.APPLICATION_JSON).content("{\"count\":5}")).andReturn();
        var provider = providers.requireFhir("cerner");
        var page = data.claims("cerner", "patient-large", null, null, null, 1000);
        var touched = data.claims("cerner", "patient-030", null, null, null, 1000);
        for (var claims : List.of(page, touched)) {
            String hapi = resources.json(resources.searchSet(provider, claims, "https://self", claims.nextCursor()));
            var streamed = new java.io.ByteArrayOutputStream();
            searchSets.write(streamed, provider, claims, "https://self", claims.nextCursor(), Instant.now());

            var expected = (tools.jackson.databind.node.ObjectNode) JSON.readTree(hapi);
            var actual = (tools.jackson.databind.node.ObjectNode) JSON.readTree(streamed.toByteArray());
            assertThat(actual.remove("meta")).isNotNull();
            expected.remove("meta");
            assertThat(actual).isEqualTo(expected);
            // And it is a Bundle HAPI reads back, claim for claim.
            Bundle parsed = FHIR.newJsonParser().parseResource(Bundle.class, streamed.toString());
            assertThat(parsed.getEntry()).hasSize(claims.claims().size());
            assertThat(((ExplanationOfBenefit) parsed.getEntryFirstRep().getResource()).getIdPart())
                    .isEqualTo(claims.claims().getFirst().id());
        }
        assertThat(data.touchedCount("cerner", "patient-030")).isEqualTo(5);
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
