package com.clinicwave.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;

/**
 * Issue 16: OIDC conformance of discovery, JWKS, tokens, refresh rotation, revocation and introspection, for each
 * tenant — the tenant chosen by the host ({@code <tenant>.localhost}) on the sign-in page and by the {@code tenant}
 * field in the first-party login. One issuer for every tenant (the tenant travels as {@code tid}/{@code tenant}); ID
 * and access tokens are validated with Nimbus against the published JWKS only.
 */
class OidcConformanceIntegrationTests extends OAuthFlowTest {

    private static RequestPostProcessor host(String tenant) {
        return request -> {
            request.setServerName(tenant + ".localhost");
            return request;
        };
    }

    private JsonNode getJson(String path, String tenant) throws Exception {
        return body(mvc.perform(get(path).with(host(tenant)).accept(MediaType.APPLICATION_JSON))
                .andExpect(status().isOk()));
    }

    private JWKSet jwks(String tenant) throws Exception {
        return JWKSet.parse(mvc.perform(get("/oauth2/jwks").with(host(tenant))).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"clinicwave", "abott"})
    void discoveryAndJwksAreTheOneIssuersForEveryTenant(String tenant) throws Exception {
        for (String path : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
            JsonNode discovery = getJson(path, tenant);
            assertThat(discovery.get("issuer").asText()).isEqualTo(ISSUER);
            for (String endpoint : List.of("authorization_endpoint", "token_endpoint", "jwks_uri", "revocation_endpoint",
                    "introspection_endpoint")) {
                assertThat(discovery.get(endpoint).asText()).as(endpoint).startsWith(ISSUER + "/");
            }
            assertThat(discovery.get("jwks_uri").asText()).isEqualTo(ISSUER + "/oauth2/jwks");
            assertThat(texts(discovery.get("response_types_supported"))).contains("code");
            assertThat(texts(discovery.get("grant_types_supported")))
                    .contains("authorization_code", "refresh_token", "client_credentials");
            assertThat(texts(discovery.get("code_challenge_methods_supported"))).containsExactly("S256");
            assertThat(texts(discovery.get("token_endpoint_auth_methods_supported"))).contains("client_secret_basic");
        }
        JsonNode oidc = getJson("/.well-known/openid-configuration", tenant);
        assertThat(texts(oidc.get("subject_types_supported"))).contains("public");
        assertThat(texts(oidc.get("id_token_signing_alg_values_supported"))).contains("RS256");
        assertThat(texts(oidc.get("scopes_supported"))).contains("openid");
        assertThat(oidc.get("userinfo_endpoint").asText()).startsWith(ISSUER + "/");
        assertThat(oidc.get("end_session_endpoint").asText()).startsWith(ISSUER + "/");

        JWKSet keys = jwks(tenant);
        assertThat(keys.getKeys()).isNotEmpty().allSatisfy(key -> {
            assertThat(key.getKeyID()).isNotBlank();
            assertThat(key.isPrivate()).as("no private parts published").isFalse();
            assertThat(key.getKeyUse()).isIn(KeyUse.SIGNATURE, null);
        });
        assertThat(keys.getKeys()).extracting(JWK::getKeyType).extracting(Object::toString).contains("RSA", "EC");
        assertThat(keys.getKeys()).extracting(JWK::getKeyID).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @ValueSource(strings = {"clinicwave", "abott"})
    void idAndAccessTokensValidateAgainstTheJwksAndCarryTheTenant(String tenant) throws Exception {
        String username = newUser(tenant, "conform-pass-123");
        JWKSet keys = jwks(tenant);

        // Browser sign-in: the tenant is the host's; authorization code with PKCE.
        MockHttpSession session = signInByHost(tenant, username, "conform-pass-123");
        String verifier = verifier();
        String code = authorize(session, challenge(verifier), REDIRECT);
        JsonNode tokens = token("grant_type=authorization_code&code=" + code + "&redirect_uri=" + REDIRECT
                + "&client_id=" + CLIENT + "&code_verifier=" + verifier, 200);
        assertThat(tokens.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(tokens.get("expires_in").asLong()).isPositive();

        JWTClaimsSet id = process(keys, JWSAlgorithm.RS256, tokens.get("id_token").asText(), CLIENT,
                new JWTClaimsSet.Builder().issuer(ISSUER).claim("nonce", "n0nce").claim("tenant", tenant).build(),
                Set.of("sub", "iat", "exp", "auth_time", "tid", "sid"));
        assertThat(id.getStringListClaim("roles")).containsExactly("patient");
        assertThat(id.getStringClaim("preferred_username")).isEqualTo(username);
        JWTClaimsSet access = process(keys, JWSAlgorithm.ES256, tokens.get("access_token").asText(), "clinicwave-api",
                new JWTClaimsSet.Builder().issuer(ISSUER).subject(id.getSubject()).claim("tenant", tenant)
                        .claim("tid", id.getStringClaim("tid")).build(), Set.of("jti", "iat", "exp", "nbf", "scope", "sid"));
        assertThat(access.getStringClaim("scope").split(" ")).contains("openid");

        // A token whose signature was altered is refused by the same validation.
        String idToken = tokens.get("id_token").asText();
        String forged = idToken.substring(0, idToken.lastIndexOf('.') + 1)
                + new StringBuilder(idToken.substring(idToken.lastIndexOf('.') + 1)).reverse();
        assertThatThrownBy(() -> process(keys, JWSAlgorithm.RS256, forged, CLIENT,
                new JWTClaimsSet.Builder().issuer(ISSUER).build(), Set.of())).isInstanceOf(BadJOSEException.class);

        // First-party login: the tenant is the request's field; its ID token's audience is the first-party app.
        JsonNode firstParty = login(tenant, username, "conform-pass-123");
        JWTClaimsSet firstPartyId = process(keys, JWSAlgorithm.RS256, firstParty.get("id_token").asText(),
                "clinicwave-first-party", new JWTClaimsSet.Builder().issuer(ISSUER).subject(id.getSubject())
                        .claim("tenant", tenant).claim("azp", "clinicwave-first-party").build(),
                Set.of("iat", "exp", "auth_time", "tid", "sid"));
        assertThat(firstPartyId.getStringClaim("sid")).isEqualTo(firstParty.get("session_id").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"clinicwave", "abott"})
    void refreshRotatesReuseRevokesTheFamilyAndRevocationShowsInIntrospection(String tenant) throws Exception {
        String username = newUser(tenant, "rotate-pass-123");
        MockHttpSession session = signInByHost(tenant, username, "rotate-pass-123");
        String verifier = verifier();
        String code = authorize(session, challenge(verifier), REDIRECT);
        JsonNode first = token("grant_type=authorization_code&code=" + code + "&redirect_uri=" + REDIRECT
                + "&client_id=" + CLIENT + "&code_verifier=" + verifier, 200);
        JsonNode introspected = introspect(first.get("access_token").asText());
        assertThat(introspected.get("active").asBoolean()).isTrue();
        assertThat(introspected.get("tenant").asText()).isEqualTo(tenant);
        assertThat(introspected.get("iss").asText()).isEqualTo(ISSUER);

        // Rotation: a new refresh token each time, same family (sid).
        JsonNode second = token("grant_type=refresh_token&client_id=" + CLIENT + "&refresh_token="
                + first.get("refresh_token").asText(), 200);
        assertThat(second.get("refresh_token").asText()).isNotEqualTo(first.get("refresh_token").asText());
        assertThat(introspect(second.get("refresh_token").asText()).get("active").asBoolean()).isTrue();
        assertThat(introspect(first.get("refresh_token").asText()).get("active").asBoolean()).isFalse();

        // Revocation of the current refresh token (RFC 7009): the family and its access tokens are inactive.
        mvc.perform(post("/oauth2/revoke").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .content("client_id=" + CLIENT + "&token=" + second.get("refresh_token").asText())).andExpect(status().isOk());
        assertThat(introspect(second.get("refresh_token").asText()).get("active").asBoolean()).isFalse();
        assertThat(introspect(second.get("access_token").asText()).get("active").asBoolean()).isFalse();
        token("grant_type=refresh_token&client_id=" + CLIENT + "&refresh_token=" + second.get("refresh_token").asText(),
                400);

        // Reuse detection on another family: replaying a rotated token kills the current one too.
        JsonNode other = codeFlowFor(tenant, username, "rotate-pass-123");
        JsonNode rotated = token("grant_type=refresh_token&client_id=" + CLIENT + "&refresh_token="
                + other.get("refresh_token").asText(), 200);
        assertThat(token("grant_type=refresh_token&client_id=" + CLIENT + "&refresh_token="
                + other.get("refresh_token").asText(), 400).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(token("grant_type=refresh_token&client_id=" + CLIENT + "&refresh_token="
                + rotated.get("refresh_token").asText(), 400).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(introspect(rotated.get("access_token").asText()).get("active").asBoolean()).isFalse();

        // The code is single-use; a replay also revokes what it gave (RFC 6749 4.1.2).
        MockHttpSession again = signInByHost(tenant, username, "rotate-pass-123");
        String verifier3 = verifier();
        String code3 = authorize(again, challenge(verifier3), REDIRECT);
        String redeem = "grant_type=authorization_code&code=" + code3 + "&redirect_uri=" + REDIRECT + "&client_id="
                + CLIENT + "&code_verifier=" + verifier3;
        JsonNode third = token(redeem, 200);
        assertThat(token(redeem, 400).get("error").asText()).isEqualTo("invalid_grant");
        token("grant_type=refresh_token&client_id=" + CLIENT + "&refresh_token=" + third.get("refresh_token").asText(),
                400);
    }

    /** The sign-in page as a browser on the tenant's host sees it: its hidden {@code tenant} field is the host's. */
    private MockHttpSession signInByHost(String tenant, String username, String password) throws Exception {
        MockHttpSession session = new MockHttpSession();
        String page = mvc.perform(get("/login").with(host(tenant)).session(session).accept(MediaType.TEXT_HTML))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        java.util.regex.Matcher field = java.util.regex.Pattern.compile("name=\"tenant\" value=\"([^\"]*)\"")
                .matcher(page);
        assertThat(field.find()).isTrue();
        assertThat(field.group(1)).isEqualTo(tenant);
        mvc.perform(post("/login").with(host(tenant)).session(session).with(csrf()).param("username", username)
                        .param("password", password).param("tenant", field.group(1)))
                .andExpect(status().is3xxRedirection())
                .andExpect(r -> assertThat(r.getResponse().getRedirectedUrl()).doesNotContain("error"));
        return session;
    }

    private JsonNode codeFlowFor(String tenant, String username, String password) throws Exception {
        MockHttpSession session = signIn(tenant, username, password);
        String verifier = verifier();
        String code = authorize(session, challenge(verifier), REDIRECT);
        return token("grant_type=authorization_code&code=" + code + "&redirect_uri=" + REDIRECT + "&client_id=" + CLIENT
                + "&code_verifier=" + verifier, 200);
    }

    private JsonNode introspect(String token) throws Exception {
        return body(mvc.perform(post("/oauth2/introspect").with(httpBasic("demo-service", "demo-service-secret"))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("token=" + token)).andExpect(status().isOk()));
    }

    private static JWTClaimsSet process(JWKSet keys, JWSAlgorithm algorithm, String token, String audience,
            JWTClaimsSet exact, Set<String> required) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"),
                null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithm, new ImmutableJWKSet<>(keys)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience, exact, required));
        return processor.process(token, null);
    }

    private static List<String> texts(JsonNode array) {
        assertThat(array).as("a JSON array").isNotNull();
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
