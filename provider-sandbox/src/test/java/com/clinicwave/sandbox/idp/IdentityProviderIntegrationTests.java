package com.clinicwave.sandbox.idp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.clinicwave.sandbox.SandboxIntegrationTest;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;

class IdentityProviderIntegrationTests extends SandboxIntegrationTest {

    private static final String CALLBACK = "http://localhost:9000/login/oauth2/code/athenahealth";

    @Test
    void federatedLoginIssuesASignedIdTokenWithTheNonceAndUserinfo() throws Exception {
        JsonNode discovery = JSON.readTree(mvc.perform(get("/idp/.well-known/openid-configuration")).andReturn()
                .getResponse().getContentAsString());
        assertThat(discovery.get("issuer").asString()).isEqualTo("http://localhost:9400/idp");
        assertThat(discovery.get("authorization_endpoint").asString()).isEqualTo("http://localhost:9400/idp/authorize");
        assertThat(discovery.get("jwks_uri").asString()).isEqualTo("http://localhost:9400/idp/jwks");

        MockHttpServletResponse redirect = mvc.perform(get("/idp/authorize").param("response_type", "code")
                .param("client_id", "clinicwave-auth").param("redirect_uri", CALLBACK)
                .param("scope", "openid profile email").param("state", "s").param("nonce", "n-123")
                .param("sandbox_patient", "patient-042").param("sandbox_decision", "approve")).andReturn().getResponse();
        assertThat(redirect.getStatus()).isEqualTo(302);
        Map<String, String> query = query(redirect.getHeader(HttpHeaders.LOCATION));
        assertThat(query).containsEntry("iss", "http://localhost:9400/idp");

        MockHttpServletResponse tokenResponse = mvc.perform(post("/idp/token").header(HttpHeaders.AUTHORIZATION,
                "Basic " + Base64.getEncoder().encodeToString("clinicwave-auth:sandbox-secret-idp"
                        .getBytes(StandardCharsets.UTF_8)))
                .param("grant_type", "authorization_code").param("code", query.get("code"))
                .param("redirect_uri", CALLBACK)).andReturn().getResponse();
        assertThat(tokenResponse.getStatus()).as(tokenResponse.getContentAsString()).isEqualTo(200);
        JsonNode tokens = JSON.readTree(tokenResponse.getContentAsString());
        assertThat(tokens.has("patient")).isFalse();

        SignedJWT idToken = SignedJWT.parse(tokens.get("id_token").asString());
        JWKSet keys = JWKSet.parse(mvc.perform(get("/idp/jwks")).andReturn().getResponse().getContentAsString());
        RSAKey key = (RSAKey) keys.getKeyByKeyId(idToken.getHeader().getKeyID());
        assertThat(idToken.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(idToken.getJWTClaimsSet().getIssuer()).isEqualTo("http://localhost:9400/idp");
        assertThat(idToken.getJWTClaimsSet().getAudience()).containsExactly("clinicwave-auth");
        assertThat(idToken.getJWTClaimsSet().getSubject()).isEqualTo("patient-042");
        assertThat(idToken.getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("n-123");
        assertThat(idToken.getJWTClaimsSet().getStringClaim("email")).isEqualTo("patient-042@sandbox.clinicwave.test");

        JsonNode userinfo = JSON.readTree(mvc.perform(get("/idp/userinfo").header(HttpHeaders.AUTHORIZATION,
                "Bearer " + tokens.get("access_token").asString())).andReturn().getResponse().getContentAsString());
        assertThat(userinfo.get("sub").asString()).isEqualTo("patient-042");
        assertThat(userinfo.get("email_verified").asBoolean()).isTrue();
    }

    @Test
    void theIdpRequiresTheOpenidScope() throws Exception {
        MockHttpServletResponse redirect = mvc.perform(get("/idp/authorize").param("response_type", "code")
                .param("client_id", "clinicwave-auth").param("redirect_uri", CALLBACK).param("scope", "profile")
                .param("sandbox_patient", "patient-042").param("sandbox_decision", "approve")).andReturn().getResponse();

        assertThat(query(redirect.getHeader(HttpHeaders.LOCATION))).containsEntry("error", "invalid_scope");
    }
}
