package com.clinicwave.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.clinicwave.auth.config.SecretHashEncoder;
import com.clinicwave.auth.keys.SigningKeys;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;

/**
 * OAuth 2.1 / OIDC on the authorization server: discovery, PKCE (S256 only, required for the public client), single
 * use codes, exact redirect match, rotating refresh with reuse detection for the public client, client credentials,
 * introspection, revocation, userinfo, and signing-key rotation.
 */
class OAuthIntegrationTests extends OAuthFlowTest {

    @Autowired
    SigningKeys signingKeys;

    @Test
    void discoveryAdvertisesThePublicIssuerAndS256Only() throws Exception {
        JsonNode discovery = body(mvc.perform(get("/.well-known/openid-configuration")).andExpect(status().isOk()));
        assertThat(discovery.get("issuer").asText()).isEqualTo(ISSUER);
        assertThat(discovery.get("token_endpoint").asText()).isEqualTo(ISSUER + "/oauth2/token");
        assertThat(discovery.get("jwks_uri").asText()).isEqualTo(ISSUER + "/oauth2/jwks");
        assertThat(discovery.get("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        assertThat(discovery.get("grant_types_supported").toString()).doesNotContain("password", "implicit");
        JsonNode jwks = body(mvc.perform(get("/oauth2/jwks")).andExpect(status().isOk()));
        assertThat(jwks.get("keys").get(0).get("kid").asText()).isNotBlank();
        assertThat(jwks.toString()).doesNotContain("\"d\"");
    }

    @Test
    void authorizationCodeWithPkceGivesTokensWithContractClaimsAndUserinfo() throws Exception {
        JsonNode tokens = codeFlow().tokens();
        assertThat(tokens.get("refresh_token").asText()).isNotBlank();
        assertThat(tokens.get("id_token").asText()).isNotBlank();
        var claims = SignedJWT.parse(tokens.get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(ISSUER);
        assertThat(claims.getAudience()).contains("clinicwave-api");
        assertThat(claims.getStringClaim("tenant")).isEqualTo("clinicwave");
        assertThat(claims.getStringListClaim("roles")).containsExactly("patient");
        assertThat(claims.getStringListClaim("permissions")).containsExactlyInAnyOrder("claims:read", "connections:read");
        assertThat(claims.getStringClaim("scope")).contains("claims:read");
        assertThat(claims.getStringClaim("sid")).isNotBlank();
        assertThat(claims.getJWTID()).isNotBlank();

        mvc.perform(get("/userinfo").header(HttpHeaders.AUTHORIZATION, bearer(tokens)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.sub").value(claims.getSubject()));
        // The same token is accepted by the first-party API (same issuer, keys and claims).
        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, bearer(tokens)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.tenant").value("clinicwave"));
    }

    @Test
    void pkceIsRequiredS256OnlyAndTheVerifierMustMatch() throws Exception {
        MockHttpSession session = signIn("clinicwave", newUser("clinicwave", "oauth-pass-123"), "oauth-pass-123");
        // No challenge from a public client: refused (error to the registered redirect, no code).
        String noPkce = authorizeRaw(session, "", REDIRECT).getResponse().getRedirectedUrl();
        assertThat(noPkce).contains("error=invalid_request").doesNotContain("code=");
        String plain = authorizeRaw(session, "&code_challenge=abcdefghijabcdefghijabcdefghijabcdefghij12345"
                + "&code_challenge_method=plain", REDIRECT).getResponse().getRedirectedUrl();
        assertThat(plain).contains("error=invalid_request").doesNotContain("code=");

        String verifier = verifier();
        String code = authorize(session, challenge(verifier), REDIRECT);
        token("grant_type=authorization_code&code=" + code + "&redirect_uri=" + REDIRECT + "&client_id=" + CLIENT
                + "&code_verifier=" + verifier(), 400);
        String code2 = authorize(session, challenge(verifier), REDIRECT);
        token("grant_type=authorization_code&code=" + code2 + "&redirect_uri=" + REDIRECT + "&client_id=" + CLIENT, 401);
    }

    @Test
    void codesAreSingleUseAndRedirectUrisMatchExactly() throws Exception {
        MockHttpSession session = signIn("clinicwave", newUser("clinicwave", "oauth-pass-123"), "oauth-pass-123");
        String verifier = verifier();
        String code = authorize(session, challenge(verifier), REDIRECT);
        String exchange = "grant_type=authorization_code&code=" + code + "&redirect_uri=" + REDIRECT + "&client_id="
                + CLIENT + "&code_verifier=" + verifier;
        token(exchange, 200);
        assertThat(token(exchange, 400).get("error").asText()).isEqualTo("invalid_grant");

        MvcResult evil = authorizeRaw(session, "&code_challenge=" + challenge(verifier) + "&code_challenge_method=S256",
                REDIRECT + "/../evil");
        assertThat(evil.getResponse().getStatus()).isEqualTo(400);
        assertThat(evil.getResponse().getRedirectedUrl()).isNull();
    }

    @Test
    void publicClientRefreshRotatesAndReuseRevokesTheFamily() throws Exception {
        JsonNode first = codeFlow().tokens();
        JsonNode second = token("grant_type=refresh_token&client_id=" + CLIENT + "&refresh_token="
                + first.get("refresh_token").asText(), 200);
        assertThat(second.get("refresh_token").asText()).isNotEqualTo(first.get("refresh_token").asText());
        String sid = SignedJWT.parse(second.get("access_token").asText()).getJWTClaimsSet().getStringClaim("sid");
        assertThat(sid).isEqualTo(SignedJWT.parse(first.get("access_token").asText()).getJWTClaimsSet().getStringClaim("sid"));

        assertThat(token("grant_type=refresh_token&client_id=" + CLIENT + "&refresh_token="
                + first.get("refresh_token").asText(), 400).get("error").asText()).isEqualTo("invalid_grant");
        // Replay detected: the current refresh token and the family's access tokens are dead too.
        token("grant_type=refresh_token&client_id=" + CLIENT + "&refresh_token=" + second.get("refresh_token").asText(), 400);
        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, bearer(second)))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.code").value("TOKEN_REVOKED"));
        assertThat(jdbc.sql("select count(*) from event_outbox where event_type = 'session.revoked' and event_key = ?")
                .param(sid).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void theAuthorizationStoreHoldsOnlyHashesOfTokenValues() throws Exception {
        CodeFlow flow = codeFlow();
        String code = flow.code();
        JsonNode first = flow.tokens();
        String sid = SignedJWT.parse(first.get("access_token").asText()).getJWTClaimsSet().getStringClaim("sid");
        java.util.Map<String, Object> row = jdbc.sql("""
                select authorization_code_value, access_token_value, refresh_token_value, oidc_id_token_value
                from oauth2_authorization where id = ?""").param(sid).query().singleRow();
        assertThat(row.values()).allSatisfy(value -> assertThat((String) value).startsWith("sha256:"));
        assertThat(row.values()).doesNotContain(code, first.get("access_token").asText(),
                first.get("refresh_token").asText(), first.get("id_token").asText());

        // The migration that hashed rows written before this computes the same value as the store.
        String sample = first.get("refresh_token").asText();
        assertThat(jdbc.sql("select 'sha256:' || encode(sha256(convert_to(?, 'UTF8')), 'hex')").param(sample)
                .query(String.class).single()).isEqualTo("sha256:" + SecretHashEncoder.sha256(sample));

        // Lookups by value still work: a refresh (found by the hash of the presented value), then a revocation of
        // the new refresh token (RFC 7009 answers 200 either way: the refused refresh shows it was found).
        JsonNode second = token("grant_type=refresh_token&client_id=" + CLIENT + "&refresh_token="
                + first.get("refresh_token").asText(), 200);
        String refresh = second.get("refresh_token").asText();
        assertThat(jdbc.sql("select refresh_token_value from oauth2_authorization where id = ?")
                .param(sid).query(String.class).single()).startsWith("sha256:").isNotEqualTo(refresh);
        mvc.perform(post("/oauth2/revoke").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .content("client_id=" + CLIENT + "&token=" + refresh)).andExpect(status().isOk());
        token("grant_type=refresh_token&client_id=" + CLIENT + "&refresh_token=" + refresh, 400);
    }

    @Test
    void clientCredentialsIntrospectionAndRevocation() throws Exception {
        JsonNode service = body(mvc.perform(post("/oauth2/token").with(httpBasic("demo-service", "demo-service-secret"))
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("grant_type=client_credentials"))
                .andExpect(status().isOk()));
        var claims = SignedJWT.parse(service.get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("demo-service");
        assertThat(claims.getStringClaim("tid")).isNull();
        assertThat(claims.getAudience()).contains("clinicwave-api");
        assertThat(claims.getStringClaim("scope").split(" ")).containsExactlyInAnyOrder("connections:read", "claims:read");
        // The fast secret hash is kept (an argon2 "upgrade" on use would cap the token endpoint).
        assertThat(jdbc.sql("select client_secret from oauth2_registered_client where client_id = 'demo-service'")
                .query(String.class).single()).startsWith("{sha256}");
        mvc.perform(post("/oauth2/token").with(httpBasic("demo-service", "wrong"))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("grant_type=client_credentials"))
                .andExpect(status().isUnauthorized());

        JsonNode user = codeFlow().tokens();
        assertThat(introspect(user.get("access_token").asText()).get("active").asBoolean()).isTrue();
        assertThat(introspect(user.get("refresh_token").asText()).get("active").asBoolean()).isTrue();

        mvc.perform(post("/oauth2/revoke").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                        .content("client_id=" + CLIENT + "&token=" + user.get("refresh_token").asText()))
                .andExpect(status().isOk());
        assertThat(introspect(user.get("refresh_token").asText()).get("active").asBoolean()).isFalse();
        assertThat(introspect(user.get("access_token").asText()).get("active").asBoolean()).isFalse();
        token("grant_type=refresh_token&client_id=" + CLIENT + "&refresh_token=" + user.get("refresh_token").asText(), 400);
        String sid = SignedJWT.parse(user.get("access_token").asText()).getJWTClaimsSet().getStringClaim("sid");
        assertThat(jdbc.sql("select count(*) from event_outbox where event_type = 'session.revoked' and event_key = ?")
                .param(sid).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void firstPartyAndServiceTokensAreIntrospectedAndRevocationShowsThere() throws Exception {
        JsonNode tokens = login("clinicwave", newUser("clinicwave", "introspect-pass-1"), "introspect-pass-1");
        JsonNode active = introspect(tokens.get("access_token").asText());
        assertThat(active.get("active").asBoolean()).isTrue();
        assertThat(active.get("tenant").asText()).isEqualTo("clinicwave");
        assertThat(active.get("sid").asText()).isEqualTo(tokens.get("session_id").asText());
        mvc.perform(post("/api/v1/auth/logout").header(HttpHeaders.AUTHORIZATION, bearer(tokens)))
                .andExpect(status().isNoContent());
        assertThat(introspect(tokens.get("access_token").asText()).get("active").asBoolean()).isFalse();
        assertThat(introspect("not-a-token").get("active").asBoolean()).isFalse();

        JsonNode service = body(mvc.perform(post("/oauth2/token").with(httpBasic("demo-service", "demo-service-secret"))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("grant_type=client_credentials")));
        assertThat(introspect(service.get("access_token").asText()).get("client_id").asText()).isEqualTo("demo-service");
        mvc.perform(post("/oauth2/revoke").with(httpBasic("demo-service", "demo-service-secret"))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .content("token=" + service.get("access_token").asText())).andExpect(status().isOk());
        assertThat(introspect(service.get("access_token").asText()).get("active").asBoolean()).isFalse();
        mvc.perform(post("/oauth2/introspect").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .content("token=" + service.get("access_token").asText())).andExpect(status().isUnauthorized());
    }

    @Test
    void clientCredentialsTokensAreNotStoredAndTheirRevocationUsesTheDenylist() throws Exception {
        long storedBefore = storedServiceAuthorizations();
        JsonNode service = body(mvc.perform(post("/oauth2/token").with(httpBasic("demo-service", "demo-service-secret"))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("grant_type=client_credentials"))
                .andExpect(status().isOk()));
        String accessToken = service.get("access_token").asText();
        String jti = SignedJWT.parse(accessToken).getJWTClaimsSet().getJWTID();
        assertThat(storedServiceAuthorizations()).isEqualTo(storedBefore);
        assertThat(introspect(accessToken).get("active").asBoolean()).isTrue();

        // Only the client the token was issued to may revoke it (RFC 7009 §2.1; the same answer as Spring
        // Authorization Server gives for a stored token of another client).
        mvc.perform(post("/oauth2/revoke").with(httpBasic("gateway", "gateway-test-secret"))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("token=" + accessToken))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").value("invalid_client"));
        assertThat(introspect(accessToken).get("active").asBoolean()).isTrue();

        mvc.perform(post("/oauth2/revoke").with(httpBasic("demo-service", "demo-service-secret"))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("token=" + accessToken + "&token_type_hint=access_token"))
                .andExpect(status().isOk());
        assertThat(introspect(accessToken).get("active").asBoolean()).isFalse();
        assertThat(jdbc.sql("select count(*) from event_outbox where event_type = 'token.revoked' and event_key = ?")
                .param(jti).query(Long.class).single()).isEqualTo(1);
        // Revoking it again (or any token that does not verify) is answered 200 with nothing more to do.
        mvc.perform(post("/oauth2/revoke").with(httpBasic("demo-service", "demo-service-secret"))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("token=" + accessToken))
                .andExpect(status().isOk());
        mvc.perform(post("/oauth2/revoke").with(httpBasic("demo-service", "demo-service-secret"))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("token=a.b.c")).andExpect(status().isOk());
        assertThat(jdbc.sql("select count(*) from event_outbox where event_type = 'token.revoked' and event_key = ?")
                .param(jti).query(Long.class).single()).isEqualTo(1);
        // Tampered: a verified token's signature on other claims does not verify.
        String[] parts = accessToken.split("\\.");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"sub\":\"demo-service\",\"aud\":[\"clinicwave-api\"]}".getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(introspect(forged).get("active").asBoolean()).isFalse();
    }

    private long storedServiceAuthorizations() {
        return jdbc.sql("select count(*) from oauth2_authorization where principal_name = 'demo-service'")
                .query(Long.class).single();
    }

    @Test
    void keyRotationPublishesTheNewKeyAndOldTokensStillValidate() throws Exception {
        JsonNode before = login("clinicwave", "demo", "demo-password-1");
        String oldKid = SignedJWT.parse(before.get("access_token").asText()).getHeader().getKeyID();
        String newKid = signingKeys.rotate();
        assertThat(newKid).isNotEqualTo(oldKid);
        String jwks = mvc.perform(get("/oauth2/jwks")).andReturn().getResponse().getContentAsString();
        assertThat(jwks).contains(oldKid, newKid);
        JsonNode after = login("clinicwave", "demo", "demo-password-1");
        assertThat(SignedJWT.parse(after.get("access_token").asText()).getHeader().getKeyID()).isEqualTo(newKid);
        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, bearer(before))).andExpect(status().isOk());
        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, bearer(after))).andExpect(status().isOk());
        assertThat(jdbc.sql("select private_key_enc from signing_key where kid = ?").param(newKid).query(String.class)
                .single()).doesNotContain("\"d\"");
    }

    @Test
    void browsersWithoutSessionAreSentToTheLoginPage() throws Exception {
        MvcResult result = authorizeRaw(new MockHttpSession(), "&code_challenge=" + challenge(verifier())
                + "&code_challenge_method=S256", REDIRECT);
        assertThat(result.getResponse().getRedirectedUrl()).endsWith("/login");
        mvc.perform(get("/login")).andExpect(status().isOk());
        mvc.perform(post("/login").with(csrf()).param("username", "demo").param("password", "wrong-password-9")
                .param("tenant", "clinicwave")).andExpect(status().is3xxRedirection())
                .andExpect(r -> assertThat(r.getResponse().getRedirectedUrl()).contains("/login?error"));
    }

    @Test
    void clientEndpointsWithoutAcceptableClientAuthenticationAnswerInvalidClientAsJson() throws Exception {
        String[][] attempts = {
            {},
            {HttpHeaders.AUTHORIZATION, "Basic ' OR 1=1 -- <script>"},
            {HttpHeaders.AUTHORIZATION, "Bearer not-a-token"},
            {HttpHeaders.AUTHORIZATION, "Basic " + Base64.getEncoder().encodeToString(
                    "demo-service:wrong-secret".getBytes(StandardCharsets.UTF_8))},
        };
        for (String path : new String[] {"/oauth2/token", "/oauth2/introspect", "/oauth2/revoke"}) {
            for (String[] header : attempts) {
                var request = post(path).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                        .content("grant_type=client_credentials&token=x");
                if (header.length == 2) {
                    request.header(header[0], header[1]);
                }
                MvcResult result = mvc.perform(request).andReturn();
                String what = path + " " + String.join(": ", header);
                // No or wrong credentials: 401 invalid_client; credentials that do not even parse: 400
                // invalid_request (RFC 6749 §5.2). Either way a JSON error an OAuth client library reads.
                assertThat(result.getResponse().getStatus()).as(what).isIn(400, 401);
                assertThat(result.getResponse().getContentType()).as(what).startsWith("application/json");
                assertThat(json.readTree(result.getResponse().getContentAsString()).path("error").asString()).as(what)
                        .isEqualTo(result.getResponse().getStatus() == 401 ? "invalid_client" : "invalid_request");
                assertThat(result.getResponse().getContentAsString()).doesNotContain("<script>");
            }
        }
    }

    private JsonNode introspect(String token) throws Exception {
        return body(mvc.perform(post("/oauth2/introspect").with(httpBasic("demo-service", "demo-service-secret"))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("token=" + token)).andExpect(status().isOk()));
    }

}
