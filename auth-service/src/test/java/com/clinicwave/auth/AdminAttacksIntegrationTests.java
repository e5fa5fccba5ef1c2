package com.clinicwave.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.clinicwave.auth.audit.AuditLog;
import com.clinicwave.auth.config.SecretHashEncoder;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;

/**
 * Issue 16, the attacker's view of the administration API beyond the per-feature tests: a disabled tenant's users,
 * clients and API keys; a disabled client at the authorization endpoint; a stale client cache written back over a
 * rotated secret; concurrent duplicates; hostile bodies and parameters on every admin endpoint; delegated
 * administrators granting more than they hold; concurrent audit writes and a re-hashed forged audit row.
 */
class AdminAttacksIntegrationTests extends OAuthFlowTest {

    private static final String SPA_REDIRECT = "https://app.partner.example/callback";

    @Autowired
    AuditLog auditLog;

    /** A fresh tenant created by the platform administrator, and its administrator's tokens. */
    private record NewTenant(String key, String id, JsonNode admin) {
    }

    /** A service client's id and its secret (shown once). */
    private record Service(String id, String secret) {
    }

    @Test
    void aDisabledTenantsUsersClientsAndApiKeysGetNoTokenOfAnyKind() throws Exception {
        JsonNode platform = platformAdmin();
        NewTenant tenant = newTenant(platform);
        Service service = serviceClient(tenant.admin());
        String serviceId = service.id();
        String serviceSecret = service.secret();
        String spa = registerClient(tenant.admin(), "spa", List.of(SPA_REDIRECT), null, 201).get("client")
                .get("client_id").asText();
        createUser(tenant.admin(), "pat", List.of("patient"), 201);
        JsonNode patient = login(tenant.key(), "pat", "correct-horse-77");
        String apiKey = apiKey(patient);
        MockHttpSession sso = signIn(tenant.key(), "pat", "correct-horse-77");
        String verifier = verifier();
        String code = codeOf(authorizeAs(sso, spa, SPA_REDIRECT, challenge(verifier)), SPA_REDIRECT);
        JsonNode oauth = token("grant_type=authorization_code&code=" + code + "&redirect_uri=" + SPA_REDIRECT
                + "&client_id=" + spa + "&code_verifier=" + verifier, 200);
        String serviceToken = clientCredentials(serviceId, serviceSecret, 200).get("access_token").asText();
        exchange(apiKey, 200);

        mvc.perform(post("/api/v1/admin/tenants/" + tenant.key() + "/disable").header(HttpHeaders.AUTHORIZATION,
                bearer(platform))).andExpect(status().isOk());

        // The tenant's service client (its live token too), its users' API keys, OAuth and first-party refresh tokens.
        assertThat(introspect("gateway", "gateway-test-secret", serviceToken, 200).get("active").asBoolean()).isFalse();
        assertThat(clientCredentials(serviceId, serviceSecret, 400).get("error").asText()).isEqualTo("invalid_client");
        assertThat(exchange(apiKey, 401).get("code").asText()).isEqualTo("API_KEY_INVALID");
        token("grant_type=refresh_token&refresh_token=" + oauth.get("refresh_token").asText() + "&client_id=" + spa, 400);
        mvc.perform(post("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("refresh_token", patient.get("refresh_token").asText()))))
                .andExpect(status().isUnauthorized());
        // A browser still holding its SSO session: the tenant's client is refused at the authorization endpoint,
        // and a code obtained through a client of no tenant is not exchanged for the disabled tenant's user.
        assertNoCode(authorizeAs(sso, spa, SPA_REDIRECT, challenge(verifier())));
        String suiteVerifier = verifier();
        String suiteCode = authorize(sso, challenge(suiteVerifier), REDIRECT);
        assertThat(token("grant_type=authorization_code&code=" + suiteCode + "&redirect_uri=" + REDIRECT + "&client_id="
                + CLIENT + "&code_verifier=" + suiteVerifier, 400).get("error").asText()).isEqualTo("invalid_grant");

        // Enabled again: its clients and keys work again (what was revoked stays revoked).
        mvc.perform(post("/api/v1/admin/tenants/" + tenant.key() + "/enable").header(HttpHeaders.AUTHORIZATION,
                bearer(platform))).andExpect(status().isOk());
        clientCredentials(serviceId, serviceSecret, 200);
        exchange(apiKey, 200);
    }

    @Test
    void aDisabledClientIsRefusedAtTheAuthorizationEndpointWithoutRedirecting() throws Exception {
        JsonNode admin = login("clinicwave", "admin", "admin-password-1");
        String spa = registerClient(admin, "spa", List.of(SPA_REDIRECT), null, 201).get("client").get("client_id").asText();
        String user = newUser("clinicwave", "spa-user-pass-1");
        MockHttpSession sso = signIn("clinicwave", user, "spa-user-pass-1");
        String verifier = verifier();
        String code = codeOf(authorizeAs(sso, spa, SPA_REDIRECT, challenge(verifier)), SPA_REDIRECT);

        mvc.perform(post("/api/v1/admin/clients/" + spa + "/disable").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isOk());
        assertNoCode(authorizeAs(sso, spa, SPA_REDIRECT, challenge(verifier())));
        // A code issued just before the client was disabled is not exchanged either.
        assertThat(token("grant_type=authorization_code&code=" + code + "&redirect_uri=" + SPA_REDIRECT + "&client_id="
                + spa + "&code_verifier=" + verifier, 400).get("error").asText()).isIn("invalid_grant", "invalid_client");
    }

    @Test
    void anAdministratorsLockStopsTheUsersApiKeysUntilUnlocked() throws Exception {
        JsonNode admin = login("clinicwave", "admin", "admin-password-1");
        String username = newUser("clinicwave", "key-holder-pass-1");
        JsonNode holder = login("clinicwave", username, "key-holder-pass-1");
        String apiKey = apiKey(holder);
        exchange(apiKey, 200);
        String id = jdbc.sql("select u.id::text from app_user u join tenant t on t.id = u.tenant_id "
                + "where t.tenant_key = 'clinicwave' and u.username = ?").param(username).query(String.class).single();
        mvc.perform(post("/api/v1/admin/users/" + id + "/lock").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isOk());
        assertThat(exchange(apiKey, 401).get("code").asText()).isEqualTo("API_KEY_INVALID");
        mvc.perform(post("/api/v1/admin/users/" + id + "/unlock").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isNoContent());
        exchange(apiKey, 200);
    }

    @Test
    void aTenantsClientIntrospectsOnlyItsOwnTenantsTokensAndNothingOnceDisabled() throws Exception {
        JsonNode admin = login("clinicwave", "admin", "admin-password-1");
        Service service = serviceClient(admin);
        String serviceToken = clientCredentials(service.id(), service.secret(), 200).get("access_token").asText();
        assertThat(introspect("gateway", "gateway-test-secret", serviceToken, 200).get("active").asBoolean()).isTrue();
        String own = login("clinicwave", "demo", "demo-password-1").get("access_token").asText();
        String other = login("abott", "demo", "abott-password-1").get("access_token").asText();
        assertThat(introspect(service.id(), service.secret(), own, 200).get("active").asBoolean()).isTrue();
        JsonNode foreign = introspect(service.id(), service.secret(), other, 200);
        assertThat(foreign.get("active").asBoolean()).isFalse();
        assertThat(foreign.toString()).doesNotContain("abott");
        mvc.perform(post("/api/v1/admin/clients/" + service.id() + "/disable").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isOk());
        assertThat(introspect(service.id(), service.secret(), own, 200).get("active").asBoolean()).isFalse();
        // Its live client-credentials token died with it (not in the store: its sid, the client's generation, denied).
        assertThat(introspect("gateway", "gateway-test-secret", serviceToken, 200).get("active").asBoolean()).isFalse();
        mvc.perform(post("/api/v1/admin/clients/" + service.id() + "/enable").header(HttpHeaders.AUTHORIZATION,
                bearer(admin))).andExpect(status().isOk());
        String fresh = clientCredentials(service.id(), service.secret(), 200).get("access_token").asText();
        assertThat(introspect("gateway", "gateway-test-secret", fresh, 200).get("active").asBoolean()).isTrue();
    }

    private JsonNode introspect(String clientId, String secret, String token, int expected) throws Exception {
        return body(mvc.perform(post("/oauth2/introspect").with(httpBasic(clientId, secret))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("token=" + token))
                .andExpect(status().is(expected)));
    }

    @Test
    void aStaleClientCacheNeverWritesAnOldSecretOrStateBack() throws Exception {
        JsonNode admin = login("clinicwave", "admin", "admin-password-1");
        Service service = serviceClient(admin);
        String clientId = service.id();
        String oldSecret = service.secret();
        clientCredentials(clientId, oldSecret, 200); // this replica now caches the client with the old secret
        // Another replica rotates the secret (same statements as ClientRegistrations.rotateSecret).
        String newSecret = "cws_" + UUID.randomUUID();
        jdbc.sql("update oauth2_registered_client set client_secret = ? where client_id = ?")
                .params("{sha256}" + new SecretHashEncoder().encode(newSecret), clientId).update();
        // This replica disables then enables the client: what it writes must not bring the old secret back.
        mvc.perform(post("/api/v1/admin/clients/" + clientId + "/disable").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isOk());
        mvc.perform(post("/api/v1/admin/clients/" + clientId + "/enable").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isOk());
        clientCredentials(clientId, oldSecret, 401);
        clientCredentials(clientId, newSecret, 200);
    }

    @Test
    void concurrentDuplicatesAnswerConflictsNeverAServerError() throws Exception {
        JsonNode platform = platformAdmin();
        NewTenant tenant = newTenant(platform);
        String key = "r" + UUID.randomUUID().toString().substring(0, 8);
        assertOneCreatedRestConflict(() -> mvc.perform(post("/api/v1/admin/tenants")
                .header(HttpHeaders.AUTHORIZATION, bearer(platform)).contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("key", key, "name", "Race", "domains", List.of(key + ".example.net")))))
                .andReturn().getResponse().getStatus());
        String other = "s" + UUID.randomUUID().toString().substring(0, 8);
        String domain = other + ".example.net";
        List<Integer> domainRace = race(i -> mvc.perform(post("/api/v1/admin/tenants")
                .header(HttpHeaders.AUTHORIZATION, bearer(platform)).contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("key", other + i, "name", "Race", "domains", List.of(domain)))))
                .andReturn().getResponse().getStatus());
        assertThat(domainRace).containsOnly(201, 409).containsOnlyOnce(201);
        assertOneCreatedRestConflict(() -> createUser(tenant.admin(), "twin", null, -1).path("status").asInt(201));
        String role = "helpdesk" + System.nanoTime() % 10000;
        assertOneCreatedRestConflict(() -> mvc.perform(post("/api/v1/admin/roles")
                .header(HttpHeaders.AUTHORIZATION, bearer(tenant.admin())).contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("name", role, "permissions", List.of("claims:read")))))
                .andReturn().getResponse().getStatus());
        String twin = jdbc.sql("select id::text from app_user where tenant_id = ?::uuid and username = 'twin'")
                .param(tenant.id()).query(String.class).single();
        List<Integer> roleRace = race(i -> mvc.perform(put("/api/v1/admin/users/" + twin + "/roles")
                .header(HttpHeaders.AUTHORIZATION, bearer(tenant.admin())).contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("roles", List.of("patient", role))))).andReturn().getResponse()
                .getStatus());
        assertThat(roleRace).containsOnly(200);
    }

    @Test
    void hostileBodiesAndParametersOnEveryAdminEndpointAnswerProblemsAndPersistNothing() throws Exception {
        JsonNode platform = platformAdmin();
        JsonNode admin = login("clinicwave", "admin", "admin-password-1");
        String demo = jdbc.sql("select u.id::text from app_user u join tenant t on t.id = u.tenant_id "
                + "where t.tenant_key = 'clinicwave' and u.username = 'demo'").query(String.class).single();
        long before = persisted();
        List<String> bodies = new ArrayList<>(List.of("{", "[]", "\"x\"", "null", "{\"key\": {\"a\": 1}}",
                "{\"key\": [\"a\"], \"name\": 12, \"type\": [], \"username\": {}, \"roles\": \"tenant_admin\", "
                        + "\"permissions\": \"users:admin\", \"domains\": \"x.example.com\", \"redirect_uris\": \"https://a.b/c\"}",
                "{\"open_registration\": \"yes\", \"must_change_password\": \"no\", \"roles\": [{}], \"domains\": [[]]}",
                "{\"name\": \"" + "n".repeat(5000) + "\", \"key\": \"x'; drop table tenant; --\", \"username\": "
                        + "\"a' or '1'='1\", \"type\": \"spa' --\", \"permissions\": [\"' or 1=1 --\"], \"roles\": "
                        + "[\"' or 1=1 --\"], \"domains\": [\"a.example.com:443\"]}"));
        String huge = "{\"name\": \"" + "x".repeat(3 * 1024 * 1024) + "\"}";
        Map<String, JsonNode> callers = Map.of("/api/v1/admin/tenants", platform, "/api/v1/admin/tenants/clinicwave",
                platform, "/api/v1/admin/users", admin, "/api/v1/admin/users/" + demo + "/roles", admin,
                "/api/v1/admin/roles", admin, "/api/v1/admin/clients", admin);
        for (var endpoint : callers.entrySet()) {
            for (String content : bodies) {
                expectProblem(write(endpoint.getKey()).header(HttpHeaders.AUTHORIZATION, bearer(endpoint.getValue()))
                        .contentType(MediaType.APPLICATION_JSON).content(content), 400, endpoint.getKey() + " " + content);
            }
            expectProblem(write(endpoint.getKey()).header(HttpHeaders.AUTHORIZATION, bearer(endpoint.getValue()))
                    .contentType(MediaType.APPLICATION_JSON).content(huge), 413, endpoint.getKey() + " huge");
            expectProblem(write(endpoint.getKey()).header(HttpHeaders.AUTHORIZATION, bearer(endpoint.getValue()))
                    .contentType(MediaType.TEXT_PLAIN).content("key=x"), 415, endpoint.getKey() + " text/plain");
        }
        // Fields the endpoint does not know are refused, not silently ignored as if applied (mass assignment).
        expectProblem(post("/api/v1/admin/clients").header(HttpHeaders.AUTHORIZATION, bearer(admin))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("type", "spa", "name", "x",
                        "redirect_uris", List.of(SPA_REDIRECT), "grant_types", List.of("client_credentials"),
                        "client_secret", "chosen-by-me"))), 400, "client with grant_types");
        expectProblem(post("/api/v1/admin/users").header(HttpHeaders.AUTHORIZATION, bearer(admin))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("username", "mass1",
                        "password", "correct-horse-77", "tenant_id", UUID.randomUUID().toString()))), 400, "user with tenant_id");
        expectProblem(patch("/api/v1/admin/tenants/clinicwave").header(HttpHeaders.AUTHORIZATION, bearer(platform))
                .contentType(MediaType.APPLICATION_JSON).content("{\"enabled\": false}"), 400, "tenant enabled");
        // Unknown role names and scopes are answered without echoing arbitrary text back.
        for (var request : List.of(put("/api/v1/admin/users/" + demo + "/roles").content(
                        "{\"roles\": [\"<img src=x onerror=alert(1)>\"]}"),
                post("/api/v1/admin/clients").content("{\"type\": \"spa\", \"name\": \"x\", \"redirect_uris\": [\""
                        + SPA_REDIRECT + "\"], \"scopes\": [\"<img src=x onerror=alert(1)>\"]}"))) {
            MvcResult echoed = mvc.perform(request.header(HttpHeaders.AUTHORIZATION, bearer(admin))
                    .contentType(MediaType.APPLICATION_JSON)).andExpect(status().isBadRequest()).andReturn();
            assertThat(echoed.getResponse().getContentAsString()).doesNotContain("<img");
        }
        // Refused half-way (a role that does not exist): the user is not left behind.
        mvc.perform(post("/api/v1/admin/users").header(HttpHeaders.AUTHORIZATION, bearer(admin))
                        .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("username", "ghost1",
                                "password", "correct-horse-77", "roles", List.of("patient", "nosuchrole")))))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("ROLE_NOT_FOUND"));
        // A blank display name is refused, not silently ignored.
        expectProblem(patch("/api/v1/admin/tenants/clinicwave").header(HttpHeaders.AUTHORIZATION, bearer(platform))
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"   \"}"), 400, "blank name");
        // Paging, filters and ids in the path.
        for (String query : List.of("/api/v1/admin/users?page=-1", "/api/v1/admin/users?size=0",
                "/api/v1/admin/users?size=101", "/api/v1/admin/users?page=abc", "/api/v1/admin/users?size=99999999999",
                "/api/v1/admin/users?page=100001", "/api/v1/admin/users?q=" + "q".repeat(101),
                "/api/v1/admin/clients?size=-5", "/api/v1/admin/audit?size=101", "/api/v1/admin/audit?format=xml",
                "/api/v1/admin/audit?format=csv&size=5001", "/api/v1/admin/audit?from=1%27%20or%201=1",
                "/api/v1/admin/audit?to=2026-13-45T99:00:00Z", "/api/v1/admin/audit?actor=" + "a".repeat(201),
                "/api/v1/admin/users/not-a-uuid", "/api/v1/admin/users/" + demo + "'--")) {
            expectProblem(get(query).header(HttpHeaders.AUTHORIZATION, bearer(admin)), 400, query);
        }
        expectProblem(get("/api/v1/admin/tenants?size=1000").header(HttpHeaders.AUTHORIZATION, bearer(platform)), 400,
                "tenants size");
        expectProblem(post("/api/v1/admin/users/not-a-uuid/lock").header(HttpHeaders.AUTHORIZATION, bearer(admin)), 400,
                "lock not-a-uuid");
        expectProblem(get("/api/v1/admin/clients/" + "c".repeat(5000)).header(HttpHeaders.AUTHORIZATION, bearer(admin)),
                404, "long client id");
        assertThat(persisted()).isEqualTo(before);
    }

    @Test
    void aDelegatedAdministratorGrantsNoAdministrationPermissionItDoesNotHold() throws Exception {
        JsonNode platform = platformAdmin();
        NewTenant tenant = newTenant(platform);
        // The tenant admin delegates user management only.
        mvc.perform(post("/api/v1/admin/roles").header(HttpHeaders.AUTHORIZATION, bearer(tenant.admin()))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("name", "helpdesk",
                        "permissions", List.of("users:admin"))))).andExpect(status().isCreated());
        String helpdeskId = createUser(tenant.admin(), "desk", List.of("helpdesk"), 201).get("id").asText();
        String patientId = createUser(tenant.admin(), "pat", List.of("patient"), 201).get("id").asText();
        JsonNode desk = login(tenant.key(), "desk", "correct-horse-77");

        // What it holds it may hand out: patients, helpdesk.
        mvc.perform(put("/api/v1/admin/users/" + patientId + "/roles").header(HttpHeaders.AUTHORIZATION, bearer(desk))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("roles",
                        List.of("patient", "helpdesk"))))).andExpect(status().isOk());
        // Escalation: itself or anyone to tenant_admin, a new role with audit:read / clients:admin, a user created so.
        for (String target : List.of(helpdeskId, patientId)) {
            mvc.perform(put("/api/v1/admin/users/" + target + "/roles").header(HttpHeaders.AUTHORIZATION, bearer(desk))
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(json.writeValueAsString(Map.of("roles", List.of("tenant_admin")))))
                    .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("INSUFFICIENT_PERMISSIONS"));
        }
        mvc.perform(post("/api/v1/admin/roles").header(HttpHeaders.AUTHORIZATION, bearer(desk))
                        .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("name", "auditor",
                                "permissions", List.of("audit:read", "clients:admin")))))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("INSUFFICIENT_PERMISSIONS"));
        createUser(desk, "boss2", List.of("tenant_admin"), 403);
        // A tenant administrator is no platform administrator: no tenant created, no domain changed, not even its own.
        mvc.perform(post("/api/v1/admin/tenants").header(HttpHeaders.AUTHORIZATION, bearer(tenant.admin()))
                        .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("key",
                                tenant.key() + "x", "name", "Mine"))))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("INSUFFICIENT_PERMISSIONS"));
        mvc.perform(patch("/api/v1/admin/tenants/" + tenant.key()).header(HttpHeaders.AUTHORIZATION,
                        bearer(tenant.admin())).contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("domains", List.of("abott.example.org")))))
                .andExpect(status().isForbidden());
        // Platform roles are not the tenant's to give, whoever asks, nor to imitate by name.
        mvc.perform(post("/api/v1/admin/roles").header(HttpHeaders.AUTHORIZATION, bearer(tenant.admin()))
                        .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("name",
                                "platform_admin", "permissions", List.of("claims:read")))))
                .andExpect(status().isForbidden());
        mvc.perform(put("/api/v1/admin/users/" + patientId + "/roles").header(HttpHeaders.AUTHORIZATION,
                        bearer(tenant.admin())).contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("roles", List.of("platform_admin")))))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("ROLE_NOT_FOUND"));
        assertThat(jdbc.sql("select count(*) from user_role ur join role r on r.id = ur.role_id where ur.user_id in "
                + "(?::uuid, ?::uuid) and r.name = 'tenant_admin'").params(helpdeskId, patientId).query(Long.class)
                .single()).isZero();
    }

    @Test
    void concurrentAuditWritesKeepTheChainValidAndARehashedForgeryIsFound() throws Exception {
        JsonNode platform = platformAdmin();
        NewTenant tenant = newTenant(platform);
        UUID tenantId = UUID.fromString(tenant.id());
        // Writers on both paths at once: direct appends and audited HTTP actions of the same tenant.
        List<Integer> statuses = race(i -> {
            for (int n = 0; n < 10; n++) {
                auditLog.record("test.concurrent", tenantId, null, "writer-" + i, null, "n=" + n);
            }
            return mvc.perform(post("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                    .content(json.writeValueAsString(Map.of("tenant", tenant.key(), "username", "nobody" + i,
                            "password", "wrong-password-1")))).andReturn().getResponse().getStatus();
        });
        assertThat(statuses).containsOnly(401);
        JsonNode verified = verify(tenant.admin());
        assertThat(verified.get("valid").asBoolean()).as(verified.toString()).isTrue();
        assertThat(jdbc.sql("select count(distinct chain_seq) = count(*) from audit_event where tenant_id = ?")
                .param(tenantId).query(Boolean.class).single()).isTrue();

        // An insider who knows the hashing rewrites a row and recomputes its hash: the next row's link breaks.
        var row = jdbc.sql("select id, chain_seq, occurred_at, user_id, actor, event_type, ip, prev_hash from audit_event "
                + "where tenant_id = ? and event_type = 'test.concurrent' order by chain_seq limit 1").param(tenantId)
                .query((rs, i) -> new AuditLog.Entry(rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant(), tenantId,
                        rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), rs.getString(7), "nothing to see",
                        rs.getString(8))).single();
        jdbc.sql("update audit_event set detail = ?, row_hash = ? where id = ?")
                .params(row.detail(), AuditLog.hash(row), row.id()).update();
        JsonNode broken = verify(tenant.admin());
        assertThat(broken.get("valid").asBoolean()).isFalse();
        assertThat(broken.get("first_broken").get("chain_seq").asLong()).isEqualTo(row.chainSeq() + 1);
        assertThat(broken.get("first_broken").get("reason").asText()).contains("previous hash");
    }

    @Test
    void domainsAreHostNamesInOneFormAndNamesKeepTheirUnicode() throws Exception {
        JsonNode platform = platformAdmin();
        String key = "d" + UUID.randomUUID().toString().substring(0, 8);
        String name = "Klinik Müller — 北京 🩺";
        JsonNode created = body(mvc.perform(post("/api/v1/admin/tenants").header(HttpHeaders.AUTHORIZATION, bearer(platform))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("key", key, "name", name,
                        "domains", List.of(" Care." + key + ".EXAMPLE.com", "care." + key + ".example.com",
                                "xn--bcher-kva." + key + ".example")))))
                .andExpect(status().isCreated()));
        assertThat(created.get("name").asText()).isEqualTo(name);
        assertThat(created.get("domains").toString()).isEqualTo("[\"care." + key + ".example.com\",\"xn--bcher-kva." + key
                + ".example\"]");
        for (String bad : List.of("bücher." + key + ".example", key + ".example.com.", key + ".example.com:8443",
                "*." + key + ".example.com", "-x." + key + ".example.com", key + "..example.com", "localhost", "127.0.0.1",
                "https://" + key + ".example.com", key + ".example.com/path", "a".repeat(250) + ".com")) {
            expectProblem(patch("/api/v1/admin/tenants/" + key).header(HttpHeaders.AUTHORIZATION, bearer(platform))
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(json.writeValueAsString(Map.of("domains", List.of(bad)))), 400, bad);
        }
        // Another tenant's domain in another case is the same domain.
        MvcResult taken = mvc.perform(patch("/api/v1/admin/tenants/" + key).header(HttpHeaders.AUTHORIZATION,
                        bearer(platform)).contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("domains", List.of("ABOTT.localhost")))))
                .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("DOMAIN_TAKEN")).andReturn();
        assertThat(taken.getResponse().getContentType()).startsWith("application/problem+json");
        assertThat(jdbc.sql("select count(*) from tenant_domain d join tenant t on t.id = d.tenant_id where t.tenant_key = ?")
                .param(key).query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void registeredClientsKeepToTheirGrantTypesAndExactRedirects() throws Exception {
        JsonNode admin = login("clinicwave", "admin", "admin-password-1");
        for (String bad : List.of("data:text/html,<script>alert(1)</script>", "file:///etc/passwd", "HTTP://evil.example.com/cb",
                "http://localhost.evil.example/cb", "https://app%2eevil.example/cb", "https://аpp.example.com/cb",
                "https://app.example.com\\@evil.example/cb", "https://app.example.com/c b", "https://" + "a".repeat(500) + ".com/",
                "https://app.example.com:443@evil.example/", "//app.example.com/cb", "https:app.example.com")) {
            registerClient(admin, "spa", List.of(bad), null, 400);
        }
        for (String bad : List.of("http://[::1]:8080/cb", "http://127.0.0.2/cb", "example:/cb", "com.example.app://cb",
                "com.example.app:cb", "javascript.example:/x#y")) {
            registerClient(admin, "native", List.of(bad), null, 400);
        }
        String spa = registerClient(admin, "spa", List.of(SPA_REDIRECT, "http://127.0.0.1:3000/cb"), null, 201)
                .get("client").get("client_id").asText();
        JsonNode service = registerClient(admin, "service", null, List.of("connections:admin"), 201);
        String serviceId = service.get("client").get("client_id").asText();
        String user = newUser("clinicwave", "grant-user-pass-1");
        MockHttpSession sso = signIn("clinicwave", user, "grant-user-pass-1");

        // Exact match (a loopback IP literal's port aside, RFC 8252 §7.3): no redirect to anything else.
        for (String other : List.of(SPA_REDIRECT + "/", SPA_REDIRECT + "?next=x", "https://APP.partner.example/callback",
                "https://app.partner.example/callback/../evil")) {
            assertNoCode(authorizeAs(sso, spa, other, challenge(verifier())));
        }
        codeOf(authorizeAs(sso, spa, "http://127.0.0.1:4000/cb", challenge(verifier())), "http://127.0.0.1:4000/cb");
        // SPA: PKCE required, no secret, no client_credentials.
        var noPkce = UriComponentsBuilder.fromPath("/oauth2/authorize").queryParam("response_type", "code")
                .queryParam("client_id", spa).queryParam("redirect_uri", SPA_REDIRECT).queryParam("scope", "openid")
                .queryParam("state", "st4te").encode().build().toUri();
        assertThat(mvc.perform(get(noPkce).session(sso).accept(MediaType.TEXT_HTML)).andReturn().getResponse()
                .getRedirectedUrl()).contains("error=invalid_request").doesNotContain("code=");
        clientCredentials(spa, "guessed-secret", 401);
        token("grant_type=client_credentials&client_id=" + spa, 401);
        // Service: client_credentials only.
        assertNoCode(authorizeAs(sso, serviceId, SPA_REDIRECT, challenge(verifier())));
        mvc.perform(post("/oauth2/token").with(httpBasic(serviceId, service.get("client_secret").asText()))
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("grant_type=refresh_token&refresh_token=x"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.access_token").doesNotExist());
    }

    @Test
    void theCsvExportNeutralisesEveryFormulaTriggerAlsoBehindBlanks() throws Exception {
        NewTenant tenant = newTenant(platformAdmin());
        UUID tenantId = UUID.fromString(tenant.id());
        List<String> hostile = List.of("=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=x", "\r=x", "   =HYPERLINK(\"x\")",
                "\n@SUM(1)", " \n -1");
        for (String actor : hostile) {
            auditLog.record("test.csv", tenantId, null, actor, null, "a \"quoted\", two-line\r\ndetail");
        }
        String csv = mvc.perform(get("/api/v1/admin/audit?format=csv&action=test.csv&size=100")
                .header(HttpHeaders.AUTHORIZATION, bearer(tenant.admin()))).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString();
        for (String actor : hostile) {
            assertThat(csv).contains(",\"'" + actor.replace("\"", "\"\"") + "\",");
        }
        assertThat(csv).contains("\"a \"\"quoted\"\", two-line\r\ndetail\"");
    }

    private JsonNode verify(JsonNode admin) throws Exception {
        return body(mvc.perform(get("/api/v1/admin/audit/verify").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isOk()));
    }

    private long persisted() {
        return jdbc.sql("select (select count(*) from tenant) + (select count(*) from tenant_domain) + (select count(*) "
                + "from app_user) + (select count(*) from role) + (select count(*) from user_role) + (select count(*) "
                + "from tenant_client)").query(Long.class).single();
    }

    private static MockHttpServletRequestBuilder write(String path) {
        if (path.endsWith("/roles") && path.contains("/users/")) {
            return put(path);
        }
        return path.startsWith("/api/v1/admin/tenants/") ? patch(path) : post(path);
    }

    private void expectProblem(MockHttpServletRequestBuilder request, int expected, String what) throws Exception {
        MvcResult result = mvc.perform(request).andReturn();
        String content = result.getResponse().getContentAsString();
        assertThat(result.getResponse().getStatus()).as(what + " -> " + content).isEqualTo(expected);
        assertThat(result.getResponse().getContentType()).as(what).startsWith("application/problem+json");
        assertThat(json.readTree(content).path("code").asText()).as(what).isNotBlank();
        assertThat(content).as(what).doesNotContain("Exception").doesNotContain("drop table");
    }

    private interface Attempt {
        int call(int index) throws Exception;
    }

    /** Runs the attempt on 6 threads released together; answers the statuses. */
    private static List<Integer> race(Attempt attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return attempt.call(index);
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> future : futures) {
                statuses.add(future.get(60, TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertOneCreatedRestConflict(Callable<Integer> attempt) throws Exception {
        assertThat(race(i -> attempt.call())).containsOnly(201, 409).containsOnlyOnce(201);
    }

    private NewTenant newTenant(JsonNode platform) throws Exception {
        String key = "h" + UUID.randomUUID().toString().substring(0, 8);
        String id = body(mvc.perform(post("/api/v1/admin/tenants").header(HttpHeaders.AUTHORIZATION, bearer(platform))
                .contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("key", key, "name", "Hostile " + key,
                        "admin", Map.of("username", "boss", "password", "first-pass-1")))))
                .andExpect(status().isCreated())).get("id").asText();
        JsonNode admin = body(mvc.perform(post("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("tenant", key, "username", "boss", "password", "first-pass-1",
                        "new_password", "second-pass-2")))).andExpect(status().isOk()));
        return new NewTenant(key, id, admin);
    }

    /** Creates a user (password correct-horse-77, no change required); expected -1: whatever the answer. */
    private JsonNode createUser(JsonNode admin, String username, List<String> roles, int expected) throws Exception {
        Map<String, Object> request = new HashMap<>(Map.of("username", username, "password", "correct-horse-77",
                "must_change_password", false));
        if (roles != null) {
            request.put("roles", roles);
        }
        MvcResult result = mvc.perform(post("/api/v1/admin/users").header(HttpHeaders.AUTHORIZATION, bearer(admin))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(request))).andReturn();
        if (expected > 0) {
            assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(expected);
        }
        JsonNode node = json.readTree(result.getResponse().getContentAsString());
        if (expected < 0 && node.isObject() && !node.has("status")) {
            ((tools.jackson.databind.node.ObjectNode) node).put("status", result.getResponse().getStatus());
        }
        return node;
    }

    /** A service client of the admin's tenant (scope connections:admin): its id and its secret. */
    private Service serviceClient(JsonNode admin) throws Exception {
        JsonNode service = registerClient(admin, "service", null, List.of("connections:admin"), 201);
        return new Service(service.get("client").get("client_id").asText(), service.get("client_secret").asText());
    }

    private String apiKey(JsonNode tokens) throws Exception {
        return body(mvc.perform(post("/api/v1/auth/api-key").header(HttpHeaders.AUTHORIZATION, bearer(tokens))
                .contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("name", "cli", "scopes", List.of("claims:read"))))))
                .get("api_key").asText();
    }

    private JsonNode exchange(String apiKey, int expected) throws Exception {
        return body(mvc.perform(post("/internal/api-keys/exchange").with(httpBasic("gateway", "gateway-test-secret"))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("api_key", apiKey))))
                .andExpect(status().is(expected)));
    }

    private MvcResult authorizeAs(MockHttpSession session, String clientId, String redirect, String challenge)
            throws Exception {
        var uri = UriComponentsBuilder.fromPath("/oauth2/authorize").queryParam("response_type", "code")
                .queryParam("client_id", clientId).queryParam("redirect_uri", redirect)
                .queryParam("scope", "openid profile offline_access").queryParam("state", "st4te")
                .queryParam("code_challenge", challenge).queryParam("code_challenge_method", "S256");
        return mvc.perform(get(uri.encode().build().toUri()).session(session).accept(MediaType.TEXT_HTML)).andReturn();
    }

    private static String codeOf(MvcResult result, String redirect) {
        String location = result.getResponse().getRedirectedUrl();
        assertThat(location).as(() -> result.getResponse().getStatus() + "").startsWith(redirect + "?code=");
        return UriComponentsBuilder.fromUri(URI.create(location)).build().getQueryParams().getFirst("code");
    }

    private static void assertNoCode(MvcResult result) {
        String location = result.getResponse().getRedirectedUrl();
        assertThat(result.getResponse().getStatus()).as(String.valueOf(location)).isEqualTo(400);
        assertThat(location == null || !location.contains("code=")).isTrue();
    }
}
