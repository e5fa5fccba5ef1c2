package com.clinicwave.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Federation: a user of tenant {@code abott} signs in through an external OIDC provider (WireMock serving discovery,
 * JWKS and token endpoint with a signed ID token); the account is provisioned at first login, linked afterwards, and
 * the SSO session then yields ClinicWave tokens of that tenant.
 */
class FederationIntegrationTests extends OAuthFlowTest {

    static final RSAKey IDP_KEY;

    static {
        try {
            IDP_KEY = new RSAKeyGenerator(2048).keyID("idp-key").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        IDP.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/idp/jwks")
                .willReturn(okJson(new JWKSet(IDP_KEY.toPublicJWK()).toString())));
    }

    @Test
    void externalUserIsProvisionedInTheMappedTenantThenLinkedOnTheNextLogin() throws Exception {
        String subject = "ext-" + UUID.randomUUID();
        MockHttpSession first = federatedSignIn(subject, "patty" + subject.substring(4, 12));
        String userId = jdbc.sql("select user_id::text from federated_identity where provider = 'test-idp' and subject = ?")
                .param(subject).query(String.class).single();
        assertThat(jdbc.sql("select t.tenant_key from app_user u join tenant t on t.id = u.tenant_id where u.id = ?::uuid")
                .param(userId).query(String.class).single()).isEqualTo("abott");

        String verifier = verifier();
        String code = authorize(first, challenge(verifier), REDIRECT);
        var tokens = token("grant_type=authorization_code&code=" + code + "&redirect_uri=" + REDIRECT + "&client_id="
                + CLIENT + "&code_verifier=" + verifier, 200);
        var claims = SignedJWT.parse(tokens.get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(userId);
        assertThat(claims.getStringClaim("tenant")).isEqualTo("abott");
        assertThat(claims.getStringListClaim("roles")).containsExactly("patient");

        federatedSignIn(subject, "renamed-at-idp");
        assertThat(jdbc.sql("select count(*) from federated_identity where subject = ?").param(subject)
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select user_id::text from federated_identity where subject = ?").param(subject)
                .query(String.class).single()).isEqualTo(userId);
    }

    @Test
    void federatedLoginIsNotLinkedToALocalAccountWhoseEmailIsNotVerified() throws Exception {
        // The attack: register a local account under the victim's address (never verified), wait for the victim's
        // first federated login and inherit it.
        String victim = "vic" + UUID.randomUUID().toString().substring(0, 8);
        String squatter = register("abott", "squat" + victim.substring(3), victim + "@idp.test");
        String subject = "ext-" + UUID.randomUUID();

        MockHttpSession session = new MockHttpSession();
        String location = federatedCallback(session, subject, victim);

        assertThat(location).endsWith("/login?error=federation_link_refused");
        // The sign-in page says why, without naming the account.
        assertThat(mvc.perform(get("/login").param("error", "federation_link_refused")).andReturn().getResponse()
                .getContentAsString()).contains("not verified, so it was not linked").doesNotContain(squatter);
        assertThat(jdbc.sql("select count(*) from federated_identity where subject = ?").param(subject)
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from audit_event where event_type = 'user.federated_link_refused' "
                + "and user_id = ?::uuid").param(squatter).query(Long.class).single()).isEqualTo(1);
        // Nothing is signed in: the authorization endpoint still sends the browser to the login page.
        MockHttpSession after = new MockHttpSession();
        var authorize = authorizeRaw(after, "&code_challenge=" + challenge(verifier()) + "&code_challenge_method=S256",
                REDIRECT);
        assertThat(authorize.getResponse().getRedirectedUrl()).endsWith("/login");
    }

    @Test
    void federatedLoginLinksToALocalAccountWhoseEmailIsVerified() throws Exception {
        String owner = "own" + UUID.randomUUID().toString().substring(0, 8);
        String local = register("abott", "local" + owner.substring(3), owner + "@idp.test");
        jdbc.sql("update app_user set email_verified = true where id = ?::uuid").param(local).update();
        String subject = "ext-" + UUID.randomUUID();

        federatedSignIn(subject, owner);

        assertThat(jdbc.sql("select user_id::text from federated_identity where subject = ?").param(subject)
                .query(String.class).single()).isEqualTo(local);
    }

    private String register(String tenant, String username, String email) throws Exception {
        var response = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                        .post("/api/v1/auth/register").contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("tenant", tenant, "username", username, "password",
                                "local-pass-123", "email", email))))
                .andReturn().getResponse();
        assertThat(response.getStatus()).isEqualTo(201);
        return json.readTree(response.getContentAsString()).get("id").asText();
    }

    /** Runs the external login up to the callback and answers where the browser is sent. */
    private String federatedCallback(MockHttpSession session, String subject, String username) throws Exception {
        var start = mvc.perform(get("/oauth2/authorization/test-idp").session(session)).andReturn();
        var params = UriComponentsBuilder.fromUri(URI.create(start.getResponse().getRedirectedUrl())).build()
                .getQueryParams();
        stubToken(idToken(IDP_KEY, subject, username, decode(params.getFirst("nonce"))));
        return mvc.perform(get("/login/oauth2/code/test-idp").session(session)
                .param("code", "c0de").param("state", decode(params.getFirst("state")))).andReturn().getResponse()
                .getRedirectedUrl();
    }

    @Test
    void forgedIdTokenIsRefused() throws Exception {
        MockHttpSession session = new MockHttpSession();
        var start = mvc.perform(get("/oauth2/authorization/test-idp").session(session)).andReturn();
        var params = UriComponentsBuilder.fromUri(URI.create(start.getResponse().getRedirectedUrl())).build().getQueryParams();
        RSAKey attacker = new RSAKeyGenerator(2048).keyID("idp-key").generate();
        stubToken(idToken(attacker, "ext-forged", "mallory", decode(params.getFirst("nonce"))));
        var callback = mvc.perform(get("/login/oauth2/code/test-idp").session(session)
                .param("code", "c0de").param("state", decode(params.getFirst("state")))).andReturn();
        assertThat(callback.getResponse().getRedirectedUrl()).contains("/login?error");
        assertThat(jdbc.sql("select count(*) from federated_identity where subject = 'ext-forged'").query(Long.class)
                .single()).isZero();
    }

    private MockHttpSession federatedSignIn(String subject, String username) throws Exception {
        MockHttpSession session = new MockHttpSession();
        var start = mvc.perform(get("/oauth2/authorization/test-idp").session(session)).andReturn();
        String location = start.getResponse().getRedirectedUrl();
        assertThat(location).startsWith("http://localhost:" + IDP.port() + "/idp/authorize");
        var params = UriComponentsBuilder.fromUri(URI.create(location)).build().getQueryParams();
        stubToken(idToken(IDP_KEY, subject, username, decode(params.getFirst("nonce"))));
        var callback = mvc.perform(get("/login/oauth2/code/test-idp").session(session)
                .param("code", "c0de").param("state", decode(params.getFirst("state")))).andReturn();
        assertThat(callback.getResponse().getRedirectedUrl()).doesNotContain("error");
        return session;
    }

    private static String decode(String value) {
        return java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    static void stubToken(String idToken) {
        IDP.stubFor(post(urlPathEqualTo("/idp/token")).willReturn(okJson(new tools.jackson.databind.json.JsonMapper()
                .writeValueAsString(Map.of("access_token", "idp-access", "token_type", "Bearer", "expires_in", 300,
                        "id_token", idToken, "scope", "openid profile email")))));
    }

    static String idToken(RSAKey key, String subject, String username, String nonce) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer("http://localhost:" + IDP.port() + "/idp").subject(subject)
                        .audience("clinicwave").issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                        .claim("nonce", nonce).claim("preferred_username", username)
                        .claim("email", username + "@idp.test").claim("email_verified", true).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
