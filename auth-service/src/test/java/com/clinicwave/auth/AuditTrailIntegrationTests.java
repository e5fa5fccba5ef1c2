package com.clinicwave.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * Issue 16, item 4: the audit trail is per tenant, readable and exportable by the tenant's administrators only, and
 * hash-chained so that a changed, inserted or removed row is found by the verify endpoint.
 */
class AuditTrailIntegrationTests extends AuthIntegrationTest {

    @Test
    void tamperingWithARowIsReportedAtThatRow() throws Exception {
        String tenant = newTenantWithAdmin();
        JsonNode admin = login(tenant, "boss", "second-pass-2");
        // Some activity of the tenant: failed and successful logins.
        for (int i = 0; i < 3; i++) {
            mvc.perform(post("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                    .content(json.writeValueAsString(Map.of("tenant", tenant, "username", "nobody", "password", "x1234567890"))))
                    .andExpect(status().isUnauthorized());
        }
        JsonNode verified = verify(admin);
        assertThat(verified.get("valid").asBoolean()).isTrue();
        assertThat(verified.get("rows_checked").asLong()).isGreaterThanOrEqualTo(6);
        assertThat(verified.get("head_hash").asText()).hasSize(64);

        // An insider rewrites history: the third row of the chain now says something else.
        Long third = jdbc.sql("select a.id from audit_event a join tenant t on t.id = a.tenant_id where t.tenant_key = ? "
                + "and a.chain_seq = 3").param(tenant).query(Long.class).single();
        String original = jdbc.sql("select detail from audit_event where id = ?").param(third).query(String.class)
                .optional().orElse(null);
        jdbc.sql("update audit_event set detail = 'nothing happened' where id = ?").param(third).update();
        JsonNode broken = verify(admin);
        assertThat(broken.get("valid").asBoolean()).isFalse();
        assertThat(broken.get("first_broken").get("id").asLong()).isEqualTo(third);
        assertThat(broken.get("first_broken").get("reason").asText()).contains("content");

        // Put back, the chain verifies again; then a row removed is found where it is missing.
        jdbc.sql("update audit_event set detail = ? where id = ?").params(original, third).update();
        assertThat(verify(admin).get("valid").asBoolean()).isTrue();
        Long fourth = jdbc.sql("select a.id from audit_event a join tenant t on t.id = a.tenant_id where t.tenant_key = ? "
                + "and a.chain_seq = 4").param(tenant).query(Long.class).single();
        jdbc.sql("delete from audit_event where id = ?").param(fourth).update();
        JsonNode gap = verify(admin);
        assertThat(gap.get("valid").asBoolean()).isFalse();
        assertThat(gap.get("first_broken").get("chain_seq").asLong()).isEqualTo(5);
        assertThat(gap.get("first_broken").get("reason").asText()).contains("missing");
    }

    @Test
    void aTenantAdminReadsAndExportsOnlyItsOwnTenantsRows() throws Exception {
        JsonNode abottAdmin = login("abott", "admin", "abott-admin-password-1");
        login("clinicwave", "demo", "demo-password-1");
        JsonNode page = body(mvc.perform(get("/api/v1/admin/audit?action=login.succeeded&size=100")
                .header(HttpHeaders.AUTHORIZATION, bearer(abottAdmin))).andExpect(status().isOk()));
        String clinicwaveId = jdbc.sql("select id::text from tenant where tenant_key = 'clinicwave'").query(String.class).single();
        String clinicwaveDemo = jdbc.sql("select u.id::text from app_user u join tenant t on t.id = u.tenant_id "
                + "where t.tenant_key = 'clinicwave' and u.username = 'demo'").query(String.class).single();
        assertThat(page.get("items").size()).isPositive();
        assertThat(page.toString()).doesNotContain(clinicwaveDemo).doesNotContain(clinicwaveId);
        for (JsonNode item : page.get("items")) {
            assertThat(item.get("action").asText()).isEqualTo("login.succeeded");
        }
        // Filtering by actor and time.
        JsonNode mine = body(mvc.perform(get("/api/v1/admin/audit?actor=admin&from=2020-01-01T00:00:00Z")
                .header(HttpHeaders.AUTHORIZATION, bearer(abottAdmin))).andExpect(status().isOk()));
        for (JsonNode item : mine.get("items")) {
            assertThat(item.get("actor").asText()).isEqualTo("admin");
        }
        mvc.perform(get("/api/v1/admin/audit?from=yesterday").header(HttpHeaders.AUTHORIZATION, bearer(abottAdmin)))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("VALIDATION_FAILED"));

        // CSV: a header, quoted cells, and a formula planted in a username is neutralised.
        mvc.perform(post("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("tenant", "abott", "username", "=HYPERLINK(\"http://evil\")",
                        "password", "x1234567890")))).andExpect(status().isUnauthorized());
        String csv = mvc.perform(get("/api/v1/admin/audit?format=csv&size=200").header(HttpHeaders.AUTHORIZATION,
                bearer(abottAdmin))).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(csv).startsWith("id,chain_seq,occurred_at,action,actor");
        assertThat(csv).contains("\"'=HYPERLINK(\"\"http://evil\"\")\"").doesNotContain(clinicwaveDemo);

        // A patient cannot read the trail at all.
        JsonNode patient = login("abott", "demo", "abott-password-1");
        mvc.perform(get("/api/v1/admin/audit").header(HttpHeaders.AUTHORIZATION, bearer(patient)))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/admin/audit/verify").header(HttpHeaders.AUTHORIZATION, bearer(patient)))
                .andExpect(status().isForbidden());
    }

    private JsonNode verify(JsonNode admin) throws Exception {
        return body(mvc.perform(get("/api/v1/admin/audit/verify").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isOk()));
    }

    /** A fresh tenant (its own chain) created by a tenant row + admin through SQL-free means: the platform API. */
    private String newTenantWithAdmin() throws Exception {
        JsonNode platform = platformAdmin();
        String key = "a" + System.nanoTime() % 100000000;
        mvc.perform(post("/api/v1/admin/tenants").header(HttpHeaders.AUTHORIZATION, bearer(platform))
                .contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("key", key, "name", "Audit " + key,
                        "admin", Map.of("username", "boss", "password", "first-pass-1")))))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("tenant", key, "username", "boss", "password", "first-pass-1",
                        "new_password", "second-pass-2")))).andExpect(status().isOk());
        return key;
    }
}
