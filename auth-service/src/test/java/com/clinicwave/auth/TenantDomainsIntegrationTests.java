package com.clinicwave.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.nimbusds.jwt.SignedJWT;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;

/**
 * Issue 16, items 2 and 3: the tenant comes from the host the request was made to (the tenants' domains) unless the
 * request names one; the first-party login also answers an ID token with the user's roles and permissions; an
 * account that must change its password can do so in the login call.
 */
class TenantDomainsIntegrationTests extends AuthIntegrationTest {

    private static RequestPostProcessor host(String host) {
        return request -> {
            request.setServerName(host);
            return request;
        };
    }

    @Test
    void loginWithoutATenantSignsInToTheTenantOfTheHost() throws Exception {
        JsonNode tokens = body(mvc.perform(post("/api/v1/auth/login").with(host("abott.localhost"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("username", "demo", "password", "abott-password-1"))))
                .andExpect(status().isOk()));
        assertThat(SignedJWT.parse(tokens.get("access_token").asText()).getJWTClaimsSet().getStringClaim("tenant"))
                .isEqualTo("abott");
        // The same credentials on the other tenant's domain are simply wrong there.
        mvc.perform(post("/api/v1/auth/login").with(host("clinicwave.localhost")).contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("username", "demo", "password", "abott-password-1"))))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.code").value("INVALID_CREDENTIALS"));
        // The explicit tenant still wins (API clients).
        mvc.perform(post("/api/v1/auth/login").with(host("clinicwave.localhost")).contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("tenant", "abott", "username", "demo",
                                "password", "abott-password-1"))))
                .andExpect(status().isOk());
        // An unknown host falls back to the default tenant.
        mvc.perform(post("/api/v1/auth/login").with(host("unknown.example.com")).contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("username", "demo", "password", "demo-password-1"))))
                .andExpect(status().isOk());
    }

    @Test
    void signInPageAndRegistrationPickTheTenantOfTheHost() throws Exception {
        String page = mvc.perform(get("/login").with(host("abott.localhost")).accept(MediaType.TEXT_HTML))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("Abott Clinics").contains("name=\"tenant\" value=\"abott\"");

        String username = "dom" + UUID.randomUUID().toString().substring(0, 8);
        mvc.perform(post("/api/v1/auth/register").with(host("abott.localhost")).contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("username", username, "password", "domain-pass-1"))))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.tenant").value("abott"));
    }

    @Test
    void firstPartyLoginAnswersAnIdTokenWithRolesAndPermissions() throws Exception {
        JsonNode tokens = login("clinicwave", "admin", "admin-password-1");
        SignedJWT idToken = SignedJWT.parse(tokens.get("id_token").asText());
        assertThat(idToken.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        var claims = idToken.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(ISSUER);
        assertThat(claims.getAudience()).containsExactly("clinicwave-first-party");
        assertThat(claims.getStringListClaim("roles")).containsExactly("tenant_admin");
        assertThat(claims.getStringListClaim("permissions")).contains("users:admin", "clients:admin");
        assertThat(claims.getStringClaim("tenant")).isEqualTo("clinicwave");
        // The ID token's key is published (same JWKS as every token).
        String jwks = mvc.perform(get("/oauth2/jwks")).andReturn().getResponse().getContentAsString();
        assertThat(jwks).contains(idToken.getHeader().getKeyID());
        // Not an access token: this service's API refuses it (audience).
        mvc.perform(get("/api/v1/auth/me").header("Authorization", "Bearer " + tokens.get("id_token").asText()))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void anAccountThatMustChangeItsPasswordDoesSoInTheLoginCall() throws Exception {
        JsonNode admin = login("clinicwave", "admin", "admin-password-1");
        String username = "temp" + UUID.randomUUID().toString().substring(0, 8);
        mvc.perform(post("/api/v1/admin/users").header("Authorization", bearer(admin)).contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("username", username, "password", "initial-pass-1"))))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.must_change_password").value(true));
        mvc.perform(post("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("username", username, "password", "initial-pass-1"))))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("PASSWORD_CHANGE_REQUIRED"));
        // A wrong current password reveals nothing more than a failed login.
        mvc.perform(post("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("username", username, "password", "wrong-pass-1",
                                "new_password", "chosen-pass-2"))))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.code").value("INVALID_CREDENTIALS"));
        mvc.perform(post("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("username", username, "password", "initial-pass-1",
                                "new_password", "chosen-pass-2"))))
                .andExpect(status().isOk()).andExpect(jsonPath("$.access_token").isNotEmpty());
        login("clinicwave", username, "chosen-pass-2");
    }
}
