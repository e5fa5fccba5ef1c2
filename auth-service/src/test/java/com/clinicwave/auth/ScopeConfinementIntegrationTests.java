package com.clinicwave.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.clinicwave.platform.security.ClinicWaveJwtAuthorities;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13, item 4: a token's effective permissions are its granted scopes intersected with its user's roles, and
 * an API key never holds more than the token that mints it.
 */
class ScopeConfinementIntegrationTests extends OAuthFlowTest {

    @Test
    void aScopeTheUsersRolesDoNotGiveIsLeftOutOfTheToken() throws Exception {
        // A tenant admin (providers:admin, users:admin, connections:admin, apikeys:manage) asks the companion app
        // for patient scopes its roles do not give.
        String username = newUser("clinicwave", "confine-pass-1");
        makeTenantAdmin(username);
        JsonNode tokens = codeFlow(username, "confine-pass-1",
                "openid profile offline_access apikeys:manage claims:read connections:read claims:sync");
        Jwt jwt = jwt(tokens.get("access_token").asText());

        assertThat(jwt.getClaimAsString("scope").split(" ")).containsExactlyInAnyOrder("openid", "profile", "offline_access",
                "apikeys:manage");
        assertThat(jwt.getClaimAsStringList("permissions")).containsExactly("apikeys:manage");
        // The token response names the scope actually issued (RFC 6749 §5.1), not the scope asked for.
        assertThat(tokens.get("scope").asText().split(" ")).containsExactlyInAnyOrder("openid", "profile",
                "offline_access", "apikeys:manage");
        // What a resource server makes of it: no claims:read in any form.
        List<String> authorities = ClinicWaveJwtAuthorities.authorities(jwt).stream()
                .map(GrantedAuthority::getAuthority).toList();
        assertThat(authorities).doesNotContain("claims:read", "SCOPE_claims:read", "SCOPE_connections:read",
                "SCOPE_claims:sync");

        // The refreshed token is narrowed the same way.
        JsonNode refreshed = token("grant_type=refresh_token&client_id=" + CLIENT + "&refresh_token="
                + tokens.get("refresh_token").asText(), 200);
        assertThat(jwt(refreshed.get("access_token").asText()).getClaimAsString("scope")).doesNotContain("claims:read");
    }

    @Test
    void anApiKeyCannotBeMintedWithMoreThanTheMintingTokenHolds() throws Exception {
        // A patient's roles give connections:read, but this token was granted only claims:read and apikeys:manage.
        String username = newUser("clinicwave", "confine-pass-2");
        JsonNode narrow = codeFlow(username, "confine-pass-2", "openid apikeys:manage claims:read");
        assertThat(jwt(narrow.get("access_token").asText()).getClaimAsStringList("permissions"))
                .containsExactlyInAnyOrder("apikeys:manage", "claims:read");

        JsonNode refused = createKey(narrow, List.of("claims:read", "connections:read"), 403);
        assertThat(refused.get("code").asText()).isEqualTo("INSUFFICIENT_PERMISSIONS");
        assertThat(createKey(narrow, List.of("users:admin"), 403).get("code").asText())
                .isEqualTo("INSUFFICIENT_PERMISSIONS");
        assertThat(createKey(narrow, List.of("claims:read"), 201).get("scopes").get(0).asText())
                .isEqualTo("claims:read");

        // A first-party token minted before the user lost a role cannot mint a key with what the role gave.
        JsonNode firstParty = login("clinicwave", username, "confine-pass-2");
        jdbc.sql("""
                delete from user_role where user_id = (select u.id from app_user u join tenant t on t.id = u.tenant_id
                where t.tenant_key = 'clinicwave' and u.username = ?)""").param(username).update();
        mvc.perform(post("/api/v1/auth/api-key").header(HttpHeaders.AUTHORIZATION, bearer(firstParty))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("name", "stale", "scopes", List.of("claims:read")))))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("INSUFFICIENT_PERMISSIONS"));
    }

    private void makeTenantAdmin(String username) {
        jdbc.sql("""
                update user_role set role_id = (select r.id from role r join tenant t on t.id = r.tenant_id
                    where t.tenant_key = 'clinicwave' and r.name = 'tenant_admin')
                where user_id = (select u.id from app_user u join tenant t on t.id = u.tenant_id
                    where t.tenant_key = 'clinicwave' and u.username = ?)""").param(username).update();
    }

    private JsonNode codeFlow(String username, String password, String scope) throws Exception {
        MockHttpSession session = signIn("clinicwave", username, password);
        String verifier = verifier();
        var uri = UriComponentsBuilder.fromPath("/oauth2/authorize").queryParam("response_type", "code")
                .queryParam("client_id", CLIENT).queryParam("redirect_uri", REDIRECT).queryParam("scope", scope)
                .queryParam("state", "st4te").queryParam("code_challenge", challenge(verifier))
                .queryParam("code_challenge_method", "S256");
        String location = mvc.perform(get(uri.encode().build().toUri()).session(session).accept(MediaType.TEXT_HTML))
                .andReturn().getResponse().getRedirectedUrl();
        assertThat(location).startsWith(REDIRECT + "?code=");
        String code = UriComponentsBuilder.fromUri(URI.create(location)).build().getQueryParams().getFirst("code");
        return token("grant_type=authorization_code&code=" + code + "&redirect_uri=" + REDIRECT + "&client_id="
                + CLIENT + "&code_verifier=" + verifier, 200);
    }

    private JsonNode createKey(JsonNode tokens, List<String> scopes, int expected) throws Exception {
        return body(mvc.perform(post("/api/v1/auth/api-key").header(HttpHeaders.AUTHORIZATION, bearer(tokens))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("name", "k", "scopes", scopes))))
                .andExpect(status().is(expected)));
    }

    private static Jwt jwt(String value) throws Exception {
        var claims = SignedJWT.parse(value).getJWTClaimsSet();
        return Jwt.withTokenValue(value).header("alg", "ES256").claims(c -> c.putAll(claims.toJSONObject()))
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60)).build();
    }
}
