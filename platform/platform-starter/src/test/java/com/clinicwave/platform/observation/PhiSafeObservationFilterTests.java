package com.clinicwave.platform.observation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import org.junit.jupiter.api.Test;

/** Client and server {@code http.url} tags lose their ids and queries (issue 13 item 7). */
class PhiSafeObservationFilterTests {

    private final PhiSafeObservationFilter filter = new PhiSafeObservationFilter();

    /**
     * The filter runs in every service, the WebFlux gateway included, whose classpath has no servlet API: neither it
     * nor what it calls may refer to a servlet type (a NoClassDefFoundError in every observed HTTP call, Eureka's
     * heartbeat included, once broke the gateway's registry).
     */
    @Test
    void needsNoServletApi() throws Exception {
        for (Class<?> type : new Class<?>[] {PhiSafeObservationFilter.class, com.clinicwave.platform.web.LogPaths.class}) {
            try (var in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
                String bytes = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(bytes).as(type.getName()).doesNotContain("jakarta/servlet")
                        .doesNotContain("AccessLogFilter").doesNotContain("org/apache/catalina");
            }
        }
    }

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
