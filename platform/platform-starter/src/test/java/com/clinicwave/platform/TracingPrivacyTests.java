package com.clinicwave.platform;

import static org.assertj.core.api.Assertions.assertThat;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Issue 13 item 7: a request whose path and query hold a patient id leaves no trace of the id in its span (name
 * and tags, as Zipkin would store them) nor in the access or error log lines. Spans are caught by an in-memory
 * Brave span handler.
 */
@SpringBootTest(classes = PlatformTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.tracing.sampling.probability=1.0", "clinicwave.logging.format=text",
            "management.tracing.export.zipkin.enabled=false"})
@Import(TracingPrivacyTests.Spans.class)
@ExtendWith(OutputCaptureExtension.class)
class TracingPrivacyTests {

    private static final String PATIENT = "patient-81516";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final List<MutableSpan> SPANS = new CopyOnWriteArrayList<>();

    @TestConfiguration(proxyBeanMethods = false)
    static class Spans {
        @Bean
        SpanHandler inMemorySpans() {
            return new SpanHandler() {
                @Override
                public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                    SPANS.add(span);
                    return true;
                }
            };
        }
    }

    @LocalServerPort
    int port;

    @BeforeEach
    void clear() {
        SPANS.clear();
    }

    @Test
    void aServerSpanCarriesTheRouteTemplateNotThePatientId(CapturedOutput output) throws Exception {
        HttpResponse<String> response = get("/patients/" + PATIENT + "/claims?ssn=123-45-6789&name=Jane");
        assertThat(response.statusCode()).isEqualTo(200);
        MutableSpan span = serverSpan();
        assertThat(span.name()).isEqualTo("http get /patients/{patientId}/claims");
        assertThat(span.tags()).containsEntry("http.url", "/patients/{patientId}/claims")
                .containsEntry("uri", "/patients/{patientId}/claims");
        assertThat(span.toString()).doesNotContain(PATIENT).doesNotContain("123-45-6789").doesNotContain("Jane");
        assertThat(output.getAll()).contains("GET /patients/{patientId}/claims 200")
                .doesNotContain(PATIENT).doesNotContain("123-45-6789");
    }

    @Test
    void anUnmatchedPathWithAnIdIsMaskedInSpansAndLogs(CapturedOutput output) throws Exception {
        HttpResponse<String> response = get("/nothing/" + PATIENT + "/x9f3a");
        assertThat(response.statusCode()).isEqualTo(404);
        MutableSpan span = serverSpan();
        assertThat(span.toString()).doesNotContain(PATIENT).doesNotContain("x9f3a");
        assertThat(output.getAll()).contains("GET /nothing/{}/{} 404").doesNotContain(PATIENT);
    }

    @Test
    void anErrorLogNamesTheRouteNotThePath(CapturedOutput output) throws Exception {
        HttpResponse<String> response = get("/things/" + "6f1c5f0e-3b7a-4d4e-9a51-0c4f6d1d2a11");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(serverSpan().toString()).doesNotContain("6f1c5f0e");
        assertThat(output.getAll()).doesNotContain("6f1c5f0e");
    }

    private MutableSpan serverSpan() {
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> SPANS.stream().anyMatch(s -> s.kind() == brave.Span.Kind.SERVER));
        return SPANS.stream().filter(s -> s.kind() == brave.Span.Kind.SERVER).findFirst().orElseThrow();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
