package com.clinicwave.connections;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.clinicwave.testsupport.TestJwts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 13 item 2 performed, in a non-local configuration (the SSRF policy enforced, as in production): a platform
 * administrator cannot point the catalog at plain http or at internal addresses, and a provider whose URL (here the
 * seeded WireMock on http://localhost) breaks the policy is never called at connect time either.
 */
@TestPropertySource(properties = "clinicwave.provider-urls.enforced=true")
class ProviderUrlPolicyIntegrationTests extends IntegrationTestSupport {

    private static final String PLATFORM_ADMIN = TestJwts.user(UUID.randomUUID().toString(), TENANT,
            List.of("providers:platform-admin"), List.of("platform_admin"));

    private Map<String, Object> provider(String field, String url) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Evil Health");
        body.put("provider_type", "fhir");
        body.put("authorization_url", "https://93.184.215.14/oauth2/authorize");
        body.put("token_url", "https://93.184.215.14/oauth2/token");
        body.put("client_id", "clinicwave-evil");
        body.put("client_secret", "evil-secret-value");
        body.put("client_auth_method", "client_secret_post");
        body.put("scopes", "patient/*.read");
        body.put(field, url);
        return body;
    }

    private Response put(String key, Object body) {
        return send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port
                        + "/api/admin/providers/" + key)).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))), PLATFORM_ADMIN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"token_url", "revocation_url", "fhir_base_url", "api_base_url", "authorization_url"})
    void plainHttpIsRefused(String field) {
        Response r = put("ssrf-http", provider(field, "http://93.184.215.14/x"));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("PROVIDER_URL_NOT_HTTPS");
        assertThat(r.raw().body()).doesNotContain("evil-secret-value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://localhost/token", "https://127.0.0.1/token", "https://169.254.169.254/latest",
        "https://10.0.0.7/token", "https://192.168.0.1/token", "https://[::1]/token", "https://[::ffff:10.0.0.1]/token"})
    void internalAddressesAreRefused(String url) {
        for (String field : List.of("token_url", "fhir_base_url")) {
            Response r = put("ssrf-internal", provider(field, url));
            assertThat(r.status()).as(field + " " + url).isEqualTo(400);
            assertThat(r.code()).as(field + " " + url).isEqualTo("PROVIDER_URL_FORBIDDEN_ADDRESS");
            assertThat(r.raw().headers().firstValue("Content-Type").orElseThrow()).contains("application/problem+json");
        }
        assertThat(get("/api/providers/ssrf-internal/oauth-config", null).status()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from audit_event where provider_key = 'ssrf-internal' "
                + "and outcome = 'refused'").query(Long.class).single()).isPositive();
    }

    @Test
    void aPublicHttpsProviderIsAcceptedAndItsSecretIsNeverAnswered() {
        Map<String, Object> body = provider("fhir_base_url", "https://93.184.215.14/fhir");
        Response created = put("ssrf-public", body);
        assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
        assertThat(created.body().path("client_secret_set").asBoolean()).isTrue();
        for (Response r : List.of(created, get("/api/admin/providers/ssrf-public", PLATFORM_ADMIN),
                get("/api/admin/providers", PLATFORM_ADMIN), get("/api/providers/ssrf-public/oauth-config", null))) {
            assertThat(r.raw().body()).doesNotContain("evil-secret-value").doesNotContain("client_secret\":\"");
        }
    }

    @Test
    void aProviderUrlBreakingThePolicyIsNeverCalledAtConnectTime() {
        // The seeded trellis points at WireMock on http://localhost: written before the policy, refused on use.
        String user = newUser();
        Response initiated = initiate("trellis", user);
        String state = query(initiated.body().path("oauth_url").asString()).get("state");
        Response callback = get("/api/oauth/callback?code=code-ssrf&state=" + state, userToken(user),
                "Accept", "application/json");
        assertThat(callback.status()).isEqualTo(503);
        assertThat(callback.code()).isEqualTo("UPSTREAM_UNAVAILABLE");
        PROVIDERS.verify(0, postRequestedFor(urlPathEqualTo("/trellis/oauth2/token"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("code=code-ssrf")));
        assertThat(connectionCount(user)).isZero();
    }
}
