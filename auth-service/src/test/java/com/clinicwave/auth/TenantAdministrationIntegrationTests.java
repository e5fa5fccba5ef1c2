package com.clinicwave.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.JsonNode;

/**
 * Issue 16, item 1: the bootstrapped platform administrator, tenants, a tenant administrator's users and OAuth
 * clients — and the attacks: another tenant's users and clients, platform endpoints with a tenant admin's token, a
 * tenant role carrying a platform permission, unsafe redirect URIs, a locked user's or a demoted user's live tokens.
 */
class TenantAdministrationIntegrationTests extends AuthIntegrationTest {

    @Test
    void bootstrappedPlatformAdminMustChangeThePasswordBeforeSigningIn() throws Exception {
        JsonNode admin = platformAdmin();
        assertThat(admin.get("access_token").asText()).isNotBlank();
        // The platform operators, and only they, administer the provider catalog every tenant shares.
        String payload = new String(java.util.Base64.getUrlDecoder().decode(
                admin.get("access_token").asText().split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json.readTree(payload).path("permissions").toString())
                .contains("providers:platform-admin", "tenants:admin");
        String hash = jdbc.sql("select password_hash from app_user u join tenant t on t.id = u.tenant_id "
                + "where t.tenant_key = 'platform' and u.username = 'platform-admin'").query(String.class).single();
        assertThat(hash).doesNotContain("platform-admin-password").startsWith("{argon2");
        assertThat(jdbc.sql("select count(*) from audit_event where event_type = 'platform_admin.bootstrapped'")
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void platformAdminCreatesATenantWithADomainAndItsAdminManagesIt() throws Exception {
        JsonNode platform = platformAdmin();
        String key = "t" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode tenant = createTenant(platform, key, List.of(key + ".example.com"), 201);
        assertThat(tenant.get("domains").get(0).asText()).isEqualTo(key + ".example.com");
        assertThat(tenant.get("enabled").asBoolean()).isTrue();

        // The same domain for another tenant is refused.
        assertThat(createTenant(platform, key + "x", List.of(key + ".example.com"), 409).get("code").asText())
                .isEqualTo("DOMAIN_TAKEN");
        assertThat(createTenant(platform, key + "y", List.of("https://evil.example.com/x"), 400).get("code").asText())
                .isEqualTo("VALIDATION_FAILED");

        // The first admin must change the initial password.
        login(key, "boss", "first-password-1", 403, "PASSWORD_CHANGE_REQUIRED");
        changePassword(key, "boss", "first-password-1", "second-password-2");
        JsonNode tenantAdmin = login(key, "boss", "second-password-2");

        // Rename, domains, listing.
        mvc.perform(patch("/api/v1/admin/tenants/" + key).header(HttpHeaders.AUTHORIZATION, bearer(platform))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("name", "Renamed", "domains", List.of(key + ".example.org")))))
                .andExpect(status().isOk()).andExpect(jsonPath("$.name").value("Renamed"))
                .andExpect(jsonPath("$.domains[0]").value(key + ".example.org"));
        JsonNode page = body(mvc.perform(get("/api/v1/admin/tenants?size=100").header(HttpHeaders.AUTHORIZATION,
                bearer(platform))).andExpect(status().isOk()));
        assertThat(page.get("total").asLong()).isGreaterThanOrEqualTo(3);

        // Disable: the tenant's live tokens die and nobody of it signs in.
        mvc.perform(post("/api/v1/admin/tenants/" + key + "/disable").header(HttpHeaders.AUTHORIZATION, bearer(platform)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.enabled").value(false));
        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, bearer(tenantAdmin)))
                .andExpect(status().isUnauthorized());
        login(key, "boss", "second-password-2", 401, "INVALID_CREDENTIALS");
        mvc.perform(post("/api/v1/admin/tenants/platform/disable").header(HttpHeaders.AUTHORIZATION, bearer(platform)))
                .andExpect(status().isConflict());
        assertThat(jdbc.sql("select count(*) from audit_event a join tenant t on t.id = a.tenant_id where t.tenant_key = ? "
                + "and a.event_type in ('tenant.created', 'tenant.renamed', 'tenant.domains_changed', 'tenant.disabled')")
                .param(key).query(Long.class).single()).isEqualTo(4);
    }

    @Test
    void aTenantAdminCannotUsePlatformEndpointsNorGrantAPlatformPermission() throws Exception {
        JsonNode admin = login("clinicwave", "admin", "admin-password-1");
        mvc.perform(get("/api/v1/admin/tenants").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("INSUFFICIENT_PERMISSIONS"));
        mvc.perform(post("/api/v1/admin/tenants/abott/disable").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isForbidden());
        // Escalation attempts: a tenant role carrying tenants:admin, or the shared catalog's platform permission.
        for (String platformPermission : List.of("tenants:admin", "providers:platform-admin")) {
            mvc.perform(post("/api/v1/admin/roles").header(HttpHeaders.AUTHORIZATION, bearer(admin))
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(json.writeValueAsString(Map.of("name", "root" + System.nanoTime() % 100000,
                                    "permissions", List.of(platformPermission)))))
                    .andExpect(status().isForbidden())
                    .andExpect(jsonPath("$.code").value("INSUFFICIENT_PERMISSIONS"));
        }
        JsonNode patient = login("clinicwave", "demo", "demo-password-1");
        mvc.perform(get("/api/v1/admin/users").header(HttpHeaders.AUTHORIZATION, bearer(patient)))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/admin/clients").header(HttpHeaders.AUTHORIZATION, bearer(patient)))
                .andExpect(status().isForbidden());
    }

    @Test
    void aTenantAdminSeesAndChangesOnlyTheUsersOfItsOwnTenant() throws Exception {
        JsonNode abottAdmin = login("abott", "admin", "abott-admin-password-1");
        String clinicwaveDemo = userId("clinicwave", "demo");
        JsonNode listed = body(mvc.perform(get("/api/v1/admin/users?q=demo").header(HttpHeaders.AUTHORIZATION,
                bearer(abottAdmin))).andExpect(status().isOk()));
        assertThat(listed.get("items").toString()).doesNotContain(clinicwaveDemo).contains(userId("abott", "demo"));
        mvc.perform(get("/api/v1/admin/users/" + clinicwaveDemo).header(HttpHeaders.AUTHORIZATION, bearer(abottAdmin)))
                .andExpect(status().isNotFound());
        mvc.perform(post("/api/v1/admin/users/" + clinicwaveDemo + "/lock").header(HttpHeaders.AUTHORIZATION,
                bearer(abottAdmin))).andExpect(status().isNotFound());
        mvc.perform(post("/api/v1/admin/users/" + clinicwaveDemo + "/unlock").header(HttpHeaders.AUTHORIZATION,
                bearer(abottAdmin))).andExpect(status().isNotFound());
        mvc.perform(put("/api/v1/admin/users/" + clinicwaveDemo + "/roles").header(HttpHeaders.AUTHORIZATION,
                        bearer(abottAdmin)).contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("roles", List.of("tenant_admin")))))
                .andExpect(status().isNotFound());
        assertThat(jdbc.sql("select locked_until is null from app_user where id = ?::uuid").param(clinicwaveDemo)
                .query(Boolean.class).single()).isTrue();
        // Paging and search input is bounded.
        mvc.perform(get("/api/v1/admin/users?size=1000").header(HttpHeaders.AUTHORIZATION, bearer(abottAdmin)))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("VALIDATION_FAILED"));
        mvc.perform(get("/api/v1/admin/users?q=%25").header(HttpHeaders.AUTHORIZATION, bearer(abottAdmin)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.total").value(0));
    }

    @Test
    void lockingAUserOrChangingTheirRolesRevokesTheirLiveTokensAtOnce() throws Exception {
        JsonNode admin = login("clinicwave", "admin", "admin-password-1");
        JsonNode created = body(mvc.perform(post("/api/v1/admin/users").header(HttpHeaders.AUTHORIZATION, bearer(admin))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("username", "nurse" + System.nanoTime() % 1000000,
                                "password", "nurse-password-1", "roles", List.of("patient"), "must_change_password", false))))
                .andExpect(status().isCreated()));
        String username = created.get("username").asText();
        String id = created.get("id").asText();
        assertThat(created.toString()).doesNotContain("nurse-password-1").doesNotContain("password_hash");

        JsonNode before = login("clinicwave", username, "nurse-password-1");
        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, bearer(before))).andExpect(status().isOk());
        mvc.perform(put("/api/v1/admin/users/" + id + "/roles").header(HttpHeaders.AUTHORIZATION, bearer(admin))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("roles", List.of()))))
                .andExpect(status().isOk());
        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, bearer(before)))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.code").value("TOKEN_REVOKED"));
        assertThat(jdbc.sql("select count(*) from event_outbox where event_type = 'session.revoked' and event_key = ?")
                .param(sid(before)).query(Long.class).single()).isEqualTo(1);
        // ... and in the tenant's audit trail.
        assertThat(jdbc.sql("select count(*) from audit_event a join tenant t on t.id = a.tenant_id where "
                + "t.tenant_key = 'clinicwave' and a.event_type = 'session.revoked' and a.detail = ? and a.user_id = ?::uuid")
                .params("sid=" + sid(before), id).query(Long.class).single()).isEqualTo(1);

        JsonNode second = login("clinicwave", username, "nurse-password-1");
        mvc.perform(post("/api/v1/admin/users/" + id + "/lock").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.sessions_revoked").value(1));
        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, bearer(second)))
                .andExpect(status().isUnauthorized());
        login("clinicwave", username, "nurse-password-1", 401, "INVALID_CREDENTIALS");
        mvc.perform(post("/api/v1/admin/users/" + id + "/unlock").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isNoContent());
        login("clinicwave", username, "nurse-password-1");
        // An administrator cannot lock themselves out.
        mvc.perform(post("/api/v1/admin/users/" + userId("clinicwave", "admin") + "/lock")
                .header(HttpHeaders.AUTHORIZATION, bearer(admin))).andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("POLICY_VIOLATION"));
        // ... nor take user administration away from themselves (their roles stay as they were).
        String adminId = userId("clinicwave", "admin");
        mvc.perform(put("/api/v1/admin/users/" + adminId + "/roles").header(HttpHeaders.AUTHORIZATION, bearer(admin))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("roles", List.of("patient")))))
                .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("POLICY_VIOLATION"));
        assertThat(jdbc.sql("select count(*) from user_role ur join role r on r.id = ur.role_id where ur.user_id = ?::uuid"
                + " and r.name = 'tenant_admin'").param(adminId).query(Long.class).single()).isEqualTo(1);
        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, bearer(admin))).andExpect(status().isOk());
    }

    @Test
    void clientsAreRegisteredWithSafeRedirectsAndSecretsShownOnceAndStayInTheirTenant() throws Exception {
        JsonNode admin = login("clinicwave", "admin", "admin-password-1");
        // Redirect URI attacks.
        for (String bad : List.of("http://evil.example.com/cb", "https://app.example.com/*", "https://app.example.com/cb#x",
                "javascript:alert(1)", "/relative", "https://user@app.example.com/cb")) {
            registerClient(admin, "spa", List.of(bad), null, 400);
        }
        for (String bad : List.of("http://localhost/callback", "http://127.0.0.1:8080/callback", "myapp:/cb",
                "com.example.app://host/cb", "http://10.0.0.1/cb")) {
            registerClient(admin, "native", List.of(bad), null, 400);
        }
        JsonNode spa = registerClient(admin, "spa", List.of("https://app.clinicwave.localhost/callback"), null, 201);
        assertThat(spa.get("client_secret").isNull()).isTrue();
        JsonNode nativeApp = registerClient(admin, "native",
                List.of("com.clinicwave.partner:/oauth2redirect", "http://127.0.0.1/callback"), null, 201);
        assertThat(nativeApp.get("client").get("type").asText()).isEqualTo("native");

        // A service client's secret: in the answer once, never stored or listed.
        registerClient(admin, "service", null, List.of("users:admin"), 403);
        JsonNode service = registerClient(admin, "service", null, List.of("connections:admin"), 201);
        String clientId = service.get("client").get("client_id").asText();
        String secret = service.get("client_secret").asText();
        assertThat(secret).startsWith("cws_");
        assertThat(jdbc.sql("select client_secret from oauth2_registered_client where client_id = ?").param(clientId)
                .query(String.class).single()).startsWith("{sha256}").doesNotContain(secret);
        String listed = mvc.perform(get("/api/v1/admin/clients?size=100").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(listed).contains(clientId).doesNotContain(secret);
        JsonNode token = clientCredentials(clientId, secret, 200);
        var claims = com.nimbusds.jwt.SignedJWT.parse(token.get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getStringClaim("tenant")).isEqualTo("clinicwave");

        // Another tenant's administrator: not found, cannot rotate or disable.
        JsonNode abottAdmin = login("abott", "admin", "abott-admin-password-1");
        mvc.perform(get("/api/v1/admin/clients/" + clientId).header(HttpHeaders.AUTHORIZATION, bearer(abottAdmin)))
                .andExpect(status().isNotFound());
        mvc.perform(post("/api/v1/admin/clients/" + clientId + "/secret").header(HttpHeaders.AUTHORIZATION,
                bearer(abottAdmin))).andExpect(status().isNotFound());
        mvc.perform(post("/api/v1/admin/clients/" + clientId + "/disable").header(HttpHeaders.AUTHORIZATION,
                bearer(abottAdmin))).andExpect(status().isNotFound());
        assertThat(mvc.perform(get("/api/v1/admin/clients?size=100").header(HttpHeaders.AUTHORIZATION, bearer(abottAdmin)))
                .andReturn().getResponse().getContentAsString()).doesNotContain(clientId);
        // The suite's own clients are nobody's to manage.
        mvc.perform(post("/api/v1/admin/clients/gateway/disable").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isNotFound());

        // Rotate: the old secret stops working, the new one works.
        String rotated = body(mvc.perform(post("/api/v1/admin/clients/" + clientId + "/secret")
                .header(HttpHeaders.AUTHORIZATION, bearer(admin))).andExpect(status().isOk())).get("client_secret").asText();
        clientCredentials(clientId, secret, 401);
        clientCredentials(clientId, rotated, 200);
        // Disable: no token any more.
        mvc.perform(post("/api/v1/admin/clients/" + clientId + "/disable").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.client.enabled").value(false));
        clientCredentials(clientId, rotated, 400);
        assertThat(jdbc.sql("select count(*) from audit_event where detail like ? and event_type in "
                + "('client.registered', 'client.secret_rotated', 'client.disabled')").param(clientId + "%")
                .query(Long.class).single()).isEqualTo(3);
    }

    @Test
    void theAdministrationApiIsInTheOpenApiDocument() throws Exception {
        String doc = mvc.perform(get("/v3/api-docs")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        assertThat(doc).contains("/api/v1/admin/tenants", "/api/v1/admin/tenants/{key}/disable", "/api/v1/admin/users",
                "/api/v1/admin/users/{userId}/lock", "/api/v1/admin/clients", "/api/v1/admin/clients/{clientId}/secret",
                "/api/v1/admin/audit", "/api/v1/admin/audit/verify", "/api/v1/auth/password");
    }

    private JsonNode createTenant(JsonNode platform, String key, List<String> domains, int expected) throws Exception {
        return body(mvc.perform(post("/api/v1/admin/tenants").header(HttpHeaders.AUTHORIZATION, bearer(platform))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("key", key, "name", "Tenant " + key, "domains", domains,
                                "admin", Map.of("username", "boss", "email", "boss@" + key + ".example.com",
                                        "password", "first-password-1")))))
                .andExpect(status().is(expected)));
    }

    protected void changePassword(String tenant, String username, String password, String newPassword) throws Exception {
        mvc.perform(post("/api/v1/auth/password").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("tenant", tenant, "username", username, "password", password,
                        "new_password", newPassword)))).andExpect(status().isNoContent());
    }

    private ResultActions login(String tenant, String username, String password, int expected, String code)
            throws Exception {
        return mvc.perform(post("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("tenant", tenant, "username", username, "password", password))))
                .andExpect(status().is(expected)).andExpect(jsonPath("$.code").value(code));
    }

    private String userId(String tenant, String username) {
        return jdbc.sql("select u.id::text from app_user u join tenant t on t.id = u.tenant_id "
                + "where t.tenant_key = ? and u.username = ?").params(tenant, username).query(String.class).single();
    }

    private static String sid(JsonNode tokens) throws Exception {
        return com.nimbusds.jwt.SignedJWT.parse(tokens.get("access_token").asText()).getJWTClaimsSet().getStringClaim("sid");
    }
}
