package com.clinicwave.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.JsonNode;

/** The operators' signing-key endpoints: who may call them, and a rotation as a client and a verifier see it. */
class SigningKeysOpsIntegrationTests extends AuthIntegrationTest {

    private JsonNode keys() throws Exception {
        return json.readTree(mvc.perform(get("/internal/signing-keys").with(httpBasic("platform-ops", "ops-test-secret")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString()).get("keys");
    }

    @Test
    void onlyTheOpsClientMayListOrRotate() throws Exception {
        mvc.perform(get("/internal/signing-keys")).andExpect(status().isUnauthorized());
        mvc.perform(post("/internal/signing-keys/rotate").with(httpBasic("platform-ops", "wrong")))
                .andExpect(status().isUnauthorized());
        mvc.perform(post("/internal/signing-keys/rotate").with(httpBasic("gateway", "gateway-test-secret")))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("INSUFFICIENT_PERMISSIONS"));
        JsonNode keys = keys();
        assertThat(keys.size()).isGreaterThanOrEqualTo(2);
        for (JsonNode key : keys) {
            assertThat(key.has("kid") && key.has("algorithm") && key.has("activates_at")).isTrue();
            assertThat(key.toString()).doesNotContain("private").doesNotContain("\"d\"");
        }
    }

    @Test
    void rotationPublishesNewKeysAndKeepsOldTokensValid() throws Exception {
        JsonNode before = login("clinicwave", "demo", "demo-password-1");
        String oldKid = SignedJWT.parse(before.get("access_token").asText()).getHeader().getKeyID();

        JsonNode rotated = json.readTree(mvc.perform(post("/internal/signing-keys/rotate")
                        .with(httpBasic("platform-ops", "ops-test-secret")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        String newKid = rotated.get("access_token_kid").asText();
        assertThat(newKid).isNotEqualTo(oldKid);
        List<String> signing = new ArrayList<>();
        rotated.get("keys").forEach(k -> {
            if (k.get("signing").asBoolean()) {
                signing.add(k.get("kid").asText());
            }
        });
        assertThat(signing).contains(newKid).doesNotContain(oldKid);
        JWKSet published = JWKSet.parse(mvc.perform(get("/oauth2/jwks")).andReturn().getResponse().getContentAsString());
        assertThat(published.getKeyByKeyId(oldKid)).isNotNull();
        assertThat(published.getKeyByKeyId(newKid)).isNotNull();

        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + before.get("access_token").asText()))
                .andExpect(status().isOk());
        JsonNode after = login("clinicwave", "demo", "demo-password-1");
        assertThat(SignedJWT.parse(after.get("access_token").asText()).getHeader().getKeyID()).isEqualTo(newKid);
    }
}
