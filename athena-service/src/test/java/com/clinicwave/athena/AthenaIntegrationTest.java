package com.clinicwave.athena;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.clinicwave.testsupport.TestJwts;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * One Spring context for every integration test: the real service (HTTP on a random port, gRPC on a random port,
 * real Redis), with provider-connection-service, auth-service's token endpoint and athenahealth stood in by one
 * WireMock server. Each test uses its own connection ids and its own athenahealth base path (so its own circuit
 * breaker), which keeps tests independent while sharing the context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.grpc.server.port=0",
        "clinicwave.service-client.client-secret=test-secret",
        "clinicwave.provider-urls.enforced=false",
        "clinicwave.athena.upstream.backoff=20ms",
        "clinicwave.athena.upstream.max-attempts=3",
        "clinicwave.athena.upstream.sliding-window-size=4",
        "clinicwave.athena.upstream.minimum-number-of-calls=4",
        "clinicwave.athena.upstream.open-state-wait=5m",
        "clinicwave.athena.upstream.requests-per-second=1000",
        "clinicwave.athena.upstream.timeout=3s",
        "clinicwave.athena.upstream.read-timeout=2s"})
public abstract class AthenaIntegrationTest {

    protected static final WireMockServer WIREMOCK = startWireMock();
    protected static final JsonMapper JSON = JsonMapper.builder().build();
    protected static final String TENANT = "7c1a4d3e-0000-4000-8000-000000000001";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    protected int port;

    private static WireMockServer startWireMock() {
        WireMockServer server = new WireMockServer(options().dynamicPort());
        server.start();
        server.stubFor(post(urlPathEqualTo("/oauth2/token")).willReturn(okJson(
                "{\"access_token\":\"service-token\",\"token_type\":\"Bearer\",\"expires_in\":300,"
                        + "\"scope\":\"connections:token\"}")));
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        return server;
    }

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.discovery.enabled", () -> "true");
        registry.add("spring.cloud.discovery.client.simple.instances.provider-connection-service[0].uri",
                WIREMOCK::baseUrl);
        registry.add("clinicwave.service-client.token-url", () -> WIREMOCK.baseUrl() + "/oauth2/token");
    }

    /** A patient's athenahealth connection as provider-connection-service and athenahealth know it. */
    protected record Connection(String id, String ownerId, String apiBasePath, String practiceId, String patientId) {

        public String apiBaseUrl() {
            return WIREMOCK.baseUrl() + apiBasePath;
        }

        /** The athenahealth path of {@code resource} ("" for the patient). */
        public String athenaPath(String resource) {
            return apiBasePath + "/v1/" + practiceId + "/patients/" + patientId + (resource.isEmpty() ? "" : "/" + resource);
        }

        public String userToken() {
            return TestJwts.user(ownerId, TENANT, List.of("athena:read", "connections:read"), List.of("patient"));
        }
    }

    /** A new connection (owner, status {@code connected}) whose access token is {@code token}, valid an hour. */
    protected static Connection connection(String token) {
        String unique = UUID.randomUUID().toString();
        Connection connection = new Connection(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                "/athenahealth/" + unique.substring(0, 8) + "/api", "195900", "patient-" + unique.substring(0, 6));
        stubConnectionInfo(connection, "connected");
        stubAccessToken(connection, false, token, Instant.now().plusSeconds(3600));
        return connection;
    }

    protected static void stubConnectionInfo(Connection connection, String status) {
        WIREMOCK.stubFor(get(urlPathEqualTo("/internal/connections/" + connection.id())).willReturn(okJson("""
                {"connection_id":"%s","consumer_id":"%s","tenant_id":"%s","provider_key":"athenahealth",
                 "provider_type":"athenahealth","status":"%s","display_name":"ignored"}
                """.formatted(connection.id(), connection.ownerId(), TENANT, status))));
    }

    protected static void stubAccessToken(Connection connection, boolean forced, String token, Instant expiresAt) {
        stubAccessToken(connection, forced, token, expiresAt, connection.apiBaseUrl());
    }

    protected static void stubAccessToken(Connection connection, boolean forced, String token, Instant expiresAt,
            String apiBaseUrl) {
        var request = get(urlPathEqualTo("/internal/connections/" + connection.id() + "/access-token"));
        request = forced ? request.withQueryParam("force_refresh", equalTo("true"))
                : request.withQueryParam("force_refresh", absent());
        WIREMOCK.stubFor(request.willReturn(okJson("""
                {"connection_id":"%s","consumer_id":"%s","tenant_id":"%s","provider_key":"athenahealth",
                 "provider_type":"athenahealth","status":"connected","access_token":"%s","token_type":"Bearer",
                 "expires_at":"%s","api_base_url":"%s","fhir_base_url":null,"practice_id":"%s","patient_id":"%s"}
                """.formatted(connection.id(), connection.ownerId(), TENANT, token, expiresAt,
                apiBaseUrl, connection.practiceId(), connection.patientId()))));
    }

    protected static void stubReauthRequired(Connection connection) {
        WIREMOCK.stubFor(get(urlPathEqualTo("/internal/connections/" + connection.id() + "/access-token"))
                .withQueryParam("force_refresh", equalTo("true"))
                .willReturn(aResponse().withStatus(409).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\":409,\"code\":\"REAUTH_REQUIRED\",\"detail\":\"reconnect\"}")));
    }

    /** athenahealth's answers for the connection's patient, in athenahealth's own field names. */
    protected static void stubAthena(Connection connection, String token) {
        WIREMOCK.stubFor(get(urlPathEqualTo(connection.athenaPath(""))).withHeader("Authorization",
                equalTo("Bearer " + token)).willReturn(okJson("""
                [{"patientid":"%s","firstname":"Ada","lastname":"Lovelace","dob":"12/10/1985","sex":"F",
                  "email":"ada@example.org","homephone":"5551234567","address1":"1 Main St","city":"Boston",
                  "state":"MA","zip":"02110","countrycode":"USA","unknown_field":{"nested":true}}]
                """.formatted(connection.patientId()))));
        WIREMOCK.stubFor(get(urlPathEqualTo(connection.athenaPath("appointments"))).withHeader("Authorization",
                equalTo("Bearer " + token)).willReturn(okJson("""
                {"totalcount":2,"appointments":[
                  {"appointmentid":"1001","date":"12/01/2026","starttime":"09:30","duration":30,
                   "appointmenttype":"Office Visit","appointmentstatus":"f","providername":"Dr. Grace Hopper",
                   "departmentid":"1"},
                  {"appointmentid":"1000","date":"10/15/2026","starttime":"14:00","duration":"45",
                   "appointmenttype":"Follow-up","appointmentstatus":"3"}]}
                """)));
        WIREMOCK.stubFor(get(urlPathEqualTo(connection.athenaPath("balance"))).withHeader("Authorization",
                equalTo("Bearer " + token)).willReturn(okJson("""
                {"patientid":"%s","balance":125.5,"statements":[
                  {"statementid":"S-1","statementdate":"11/01/2026","duedate":"11/30/2026","amountdue":"$125.50",
                   "status":"OPEN"}]}
                """.formatted(connection.patientId()))));
        WIREMOCK.stubFor(get(urlPathEqualTo(connection.athenaPath("claims")))
                .withQueryParam("page_token", absent())
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(okJson("""
                {"claims":[{"claimid":"C-1","servicedate":"10/15/2026","providername":"Dr. Grace Hopper",
                  "totalcharge":"200.00","insurancepaid":"150.00","patientresponsibility":"50.00",
                  "status":"CLOSED","procedures":[{"procedurecode":"99213"}]}],
                 "next_page_token":"page-2"}
                """)));
        WIREMOCK.stubFor(get(urlPathEqualTo(connection.athenaPath("claims")))
                .withQueryParam("page_token", equalTo("page-2"))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(okJson("""
                {"claims":[{"claimid":"C-2","servicedate":"2026-09-01","totalcharge":80,"status":"OPEN"}]}
                """)));
    }

    protected static int requests(RequestPatternBuilder pattern) {
        return WIREMOCK.countRequestsMatching(pattern.build()).getCount();
    }

    protected record Answer(int status, String contentType, JsonNode body) {

        public String code() {
            return body.path("code").asString();
        }
    }

    /** GETs a path of this service with an optional bearer token. */
    protected Answer call(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? MissingNode.getInstance() : JSON.readTree(response.body());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
