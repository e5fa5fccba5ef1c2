package com.clinicwave.platform.observation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import org.junit.jupiter.api.Test;

/** Client and server {@code http.url} tags lose their ids and queries (issue 13 item 7). */
class PhiSafeObservationFilterTests {

    private final PhiSafeObservationFilter filter = new PhiSafeObservationFilter();

    @Test
    void aClientCallKeepsHostAndTemplateButNeitherIdsNorQuery() {
        Observation.Context context = new Observation.Context();
        context.addLowCardinalityKeyValue(KeyValue.of("uri", "/fhir/Patient/{id}"));
        context.addHighCardinalityKeyValue(KeyValue.of("http.url",
                "https://fhir.example.org/fhir/Patient/patient-001?_count=10&name=Jane"));
        filter.map(context);
        assertThat(context.getHighCardinalityKeyValue("http.url").getValue())
                .isEqualTo("https://fhir.example.org/fhir/Patient/{id}");
    }

    @Test
    void aClientCallWithoutATemplateIsMasked() {
        Observation.Context context = new Observation.Context();
        context.addLowCardinalityKeyValue(KeyValue.of("uri", "none"));
        context.addHighCardinalityKeyValue(KeyValue.of("http.url",
                "http://localhost:9400/epic/fhir/ExplanationOfBenefit?patient=patient-001"));
        filter.map(context);
        String url = context.getHighCardinalityKeyValue("http.url").getValue();
        assertThat(url).startsWith("http://localhost:9400/epic/fhir/").doesNotContain("patient-001")
                .doesNotContain("?");
    }

    @Test
    void aServerPathWithoutARouteIsMaskedSegmentBySegment() {
        Observation.Context context = new Observation.Context();
        context.addLowCardinalityKeyValue(KeyValue.of("uri", "NOT_FOUND"));
        context.addHighCardinalityKeyValue(KeyValue.of("http.url",
                "/api/connections/6f1c5f0e-3b7a-4d4e-9a51-0c4f6d1d2a11/claims"));
        filter.map(context);
        assertThat(context.getHighCardinalityKeyValue("http.url").getValue()).isEqualTo("/api/connections/{}/claims");
        assertThat(context.getLowCardinalityKeyValue("uri").getValue()).isEqualTo("NOT_FOUND");
    }
}
