package com.clinicwave.connections;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.clinicwave.connections.connection.TokenRefresher;
import com.clinicwave.testsupport.TestJwts;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Catalog administration and the automatic refresh. */
class CatalogAdminIntegrationTests extends IntegrationTestSupport {

    private static final String PROVIDERS_ADMIN = TestJwts.user(UUID.randomUUID().toString(), TENANT,
            List.of("providers:platform-admin"), List.of("platform_admin"));
    /** Everything a tenant's administrator holds, including the old catalog permission. */
    private static final String TENANT_ADMIN = TestJwts.user(UUID.randomUUID().toString(), TENANT,
            List.of("providers:admin", "users:admin", "connections:admin", "apikeys:manage"), List.of("tenant_admin"));

    @Autowired
    TokenRefresher refresher;
    @Autowired
    org.springframework.kafka.core.KafkaTemplate<String, String> kafka;

    @Test
    void claimsSyncedEventsShowAsTheConnectionsLastSync() throws Exception {
        String user = newUser();
        String id = connect("cerner", user, "at-sync", "rt-sync");
        String eventId = UUID.randomUUID().toString();
        String envelope = """
                {"id":"%s","source":"clinicwave/claims-service","type":"claims.synced","time":"2026-11-27T10:00:00Z",
                 "subject":"%s","tenant":null,"data":{"connection_id":"%s","sync_id":"%s","trigger":"manual",
                 "claims_created":3,"claims_updated":1,"status":"completed","next_sync_at":"2026-11-27T16:00:00Z"}}
                """.formatted(eventId, id, id, UUID.randomUUID());
        kafka.send("claims.events", "poison", "not json").get();
        kafka.send("claims.events", id, envelope).get();
        kafka.send("claims.events", id, envelope).get();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(get("/api/connections", userToken(user)).body().path("connections").get(0)
                        .path("last_sync_at").asString()).isEqualTo("2026-11-27T10:00:00Z"));
        assertThat(jdbc.sql("select count(*) from processed_event where event_id = :id").param("id", eventId)
                .query(Long.class).single()).isEqualTo(1);
        assertThat(get("/api/connections", userToken(user)).body().path("connections").get(0)
                .path("next_sync_at").asString()).isEqualTo("2026-11-27T16:00:00Z");

        // A failed run moves the next sync (its retry) but not the last one; a paused schedule has none.
        String failed = """
                {"id":"%s","source":"clinicwave/claims-service","type":"claims.synced","time":"2026-11-27T16:00:05Z",
                 "subject":"%s","tenant":null,"data":{"connection_id":"%s","sync_id":"%s","trigger":"scheduled",
                 "claims_created":0,"claims_updated":0,"status":"failed","next_sync_at":"2026-11-27T16:15:05Z"}}
                """.formatted(UUID.randomUUID(), id, id, UUID.randomUUID());
        kafka.send("claims.events", id, failed).get();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(get("/api/connections", userToken(user)).body().path("connections").get(0)
                        .path("next_sync_at").asString()).isEqualTo("2026-11-27T16:15:05Z"));
        assertThat(get("/api/connections", userToken(user)).body().path("connections").get(0)
                .path("last_sync_at").asString()).isEqualTo("2026-11-27T10:00:00Z");
        String paused = """
                {"id":"%s","source":"clinicwave/claims-service","type":"claims.synced","time":"2026-11-27T16:16:00Z",
                 "subject":"%s","tenant":null,"data":{"connection_id":"%s","sync_id":"%s","trigger":"scheduled",
                 "claims_created":0,"claims_updated":0,"status":"failed","next_sync_at":null}}
                """.formatted(UUID.randomUUID(), id, id, UUID.randomUUID());
        kafka.send("claims.events", id, paused).get();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(get("/api/connections", userToken(user)).body().path("connections").get(0)
                        .path("next_sync_at").asString("")).isEmpty());
    }

    @Test
    void adminsChangeTheCatalogAndPublishTermsOthersCannot() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Acme Health");
        body.put("provider_type", "fhir");
        body.put("authorization_url", PROVIDERS.baseUrl() + "/acme/oauth2/authorize");
        body.put("token_url", PROVIDERS.baseUrl() + "/acme/oauth2/token");
        body.put("client_id", "clinicwave-acme");
        body.put("client_secret", "acme-secret-value");
        body.put("client_auth_method", "client_secret_post");
        body.put("scopes", "patient/*.read offline_access");
        body.put("fhir_base_url", PROVIDERS.baseUrl() + "/acme/fhir");
        body.put("additional_params", Map.of("launch", "patient"));

        assertThat(put("/api/admin/providers/acme", userToken(newUser()), body).status()).isEqualTo(403);
        Response tenantAdmin = put("/api/admin/providers/acme", TENANT_ADMIN, body);
        assertThat(tenantAdmin.status()).isEqualTo(403);
        assertThat(tenantAdmin.code()).isEqualTo("INSUFFICIENT_PERMISSIONS");
        Response created = put("/api/admin/providers/acme", PROVIDERS_ADMIN, body);
        assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
        assertThat(created.body().path("client_secret_set").asBoolean()).isTrue();
        assertThat(created.raw().body()).doesNotContain("acme-secret-value");
        byte[] stored = jdbc.sql("select client_secret_ciphertext from provider where provider_key = 'acme'")
                .query(byte[].class).single();
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("acme-secret");

        Response config = get("/api/providers/acme/oauth-config", null);
        assertThat(config.body().path("additional_params").path("launch").asString()).isEqualTo("patient");
        assertThat(config.raw().body()).doesNotContain("acme-secret-value");

        body.remove("client_secret");
        body.put("name", "Acme Health Renamed");
        assertThat(put("/api/admin/providers/acme", PROVIDERS_ADMIN, body).body().path("client_secret_set").asBoolean())
                .isTrue();
        body.put("token_url", "not a url");
        assertThat(put("/api/admin/providers/acme", PROVIDERS_ADMIN, body).code()).isEqualTo("VALIDATION_FAILED");

        assertThat(post("/api/admin/providers/acme/terms", PROVIDERS_ADMIN, Map.of("version", "2.0",
                "terms_text", "New terms", "effective_date", "2026-12-01")).status()).isEqualTo(200);
        Response terms = get("/api/providers/acme/terms", null);
        assertThat(terms.body().path("version").asString()).isEqualTo("2.0");

        // The initiate URL carries the admin-configured SMART parameters.
        String user = newUser();
        Response initiated = initiate("acme", user);
        assertThat(query(initiated.body().path("oauth_url").asString())).containsEntry("launch", "patient")
                .containsEntry("aud", PROVIDERS.baseUrl() + "/acme/fhir");
    }

    @Test
    void aTenantAdminCannotReadOrChangeTheSharedCatalog() {
        Map<String, Object> hijack = new LinkedHashMap<>();
        hijack.put("name", "Trellis Healthcare");
        hijack.put("provider_type", "fhir");
        hijack.put("authorization_url", PROVIDERS.baseUrl() + "/trellis/oauth2/authorize");
        hijack.put("token_url", "https://attacker.example/harvest");
        hijack.put("client_id", "clinicwave-trellis");
        hijack.put("client_auth_method", "client_secret_post");
        hijack.put("scopes", "patient/*.read");
        Response put = put("/api/admin/providers/trellis", TENANT_ADMIN, hijack);
        assertThat(put.status()).isEqualTo(403);
        assertThat(put.code()).isEqualTo("INSUFFICIENT_PERMISSIONS");
        assertThat(get("/api/admin/providers", TENANT_ADMIN).status()).isEqualTo(403);
        assertThat(get("/api/admin/providers/trellis", TENANT_ADMIN).status()).isEqualTo(403);
        assertThat(post("/api/admin/providers/trellis/terms", TENANT_ADMIN, Map.of("version", "9.9",
                "terms_text", "x", "effective_date", "2026-12-01")).status()).isEqualTo(403);
        assertThat(jdbc.sql("select token_url from provider where provider_key = 'trellis'").query(String.class)
                .single()).isEqualTo(PROVIDERS.baseUrl() + "/trellis/oauth2/token");
        // The platform admin's view tells whether a secret is stored, never the secret.
        Response view = get("/api/admin/providers/trellis", PROVIDERS_ADMIN);
        assertThat(view.status()).isEqualTo(200);
        assertThat(view.body().path("client_secret_set").asBoolean()).isTrue();
        assertThat(view.body().has("client_secret")).isFalse();
        assertThat(view.raw().body()).doesNotContain("secret-trellis");
        assertThat(get("/api/admin/providers", PROVIDERS_ADMIN).raw().body()).doesNotContain("secret-trellis")
                .doesNotContain("secret-epic").doesNotContain("secret-cerner").doesNotContain("secret-athenahealth");
    }

    @Test
    void tokensAboutToExpireAreRefreshedOnceByTheScheduledJob() {
        String user = newUser();
        String id = connect("trellis", user, "at-auto", "rt-auto");
        jdbc.sql("update connection set token_expires_at = now() + interval '1 minute' where id = :id")
                .param("id", UUID.fromString(id)).update();
        PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/trellis/oauth2/token"))
                .withRequestBody(containing("refresh_token=rt-auto"))
                .willReturn(okJson("""
                        {"access_token":"at-auto-2","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-auto-2"}
                        """)));
        Instant threshold = Instant.now().plusSeconds(300);
        assertThat(refresher.refreshDue(UUID.fromString(id), threshold)).get()
                .extracting(TokenRefresher.Result::outcome).isEqualTo(TokenRefresher.Outcome.REFRESHED);
        // A second instance looking at the same moment finds nothing left to do.
        assertThat(refresher.refreshDue(UUID.fromString(id), threshold)).isEmpty();
        PROVIDERS.verify(1, postRequestedFor(urlPathEqualTo("/trellis/oauth2/token"))
                .withRequestBody(containing("refresh_token=rt-auto")));
    }

    private Response put(String path, String token, Object body) {
        return send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))), token);
    }
}
