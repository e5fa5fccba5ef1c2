package com.clinicwave.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.clinicwave.auth.keys.SigningKeys;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code clinicwave.auth.keys.access-token-algorithm=RS256} (the default is ES256, which the other tests run with):
 * access tokens (OAuth and first-party) and ID tokens are all signed with the RSA key; no EC key is published; the
 * key rotates, and the tokens are accepted, introspected and revoked.
 */
@TestPropertySource(properties = "clinicwave.auth.keys.access-token-algorithm=RS256")
class Rs256AccessTokensIntegrationTests extends OAuthFlowTest {

    @Autowired
    SigningKeys signingKeys;

    private JWKSet jwks() throws Exception {
        return JWKSet.parse(mvc.perform(get("/oauth2/jwks")).andReturn().getResponse().getContentAsString());
    }

    @Test
    void accessAndIdTokensAreRs256() throws Exception {
        JsonNode service = body(mvc.perform(post("/oauth2/token").with(httpBasic("demo-service", "demo-service-secret"))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("grant_type=client_credentials"))
                .andExpect(status().isOk()));
        SignedJWT serviceToken = SignedJWT.parse(service.get("access_token").asText());
        assertThat(serviceToken.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        JWKSet jwks = jwks();
        assertThat(jwks.toString()).doesNotContain("\"d\"").doesNotContain("\"EC\"");
        assertThat(serviceToken.verify(new RSASSAVerifier(jwks.getKeyByKeyId(serviceToken.getHeader().getKeyID())
                .toRSAKey()))).isTrue();

        JsonNode firstParty = login("clinicwave", "demo", "demo-password-1");
        assertThat(SignedJWT.parse(firstParty.get("access_token").asText()).getHeader().getAlgorithm())
                .isEqualTo(JWSAlgorithm.RS256);
        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, bearer(firstParty)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.tenant").value("clinicwave"));

        JsonNode tokens = codeFlow().tokens();
        assertThat(SignedJWT.parse(tokens.get("access_token").asText()).getHeader().getAlgorithm())
                .isEqualTo(JWSAlgorithm.RS256);
        SignedJWT idToken = SignedJWT.parse(tokens.get("id_token").asText());
        assertThat(idToken.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(idToken.verify(new RSASSAVerifier(jwks().getKeyByKeyId(idToken.getHeader().getKeyID()).toRSAKey())))
                .isTrue();
        mvc.perform(get("/userinfo").header(HttpHeaders.AUTHORIZATION, bearer(tokens))).andExpect(status().isOk());

        assertThat(introspect(service.get("access_token").asText()).get("active").asBoolean()).isTrue();
        mvc.perform(post("/oauth2/revoke").with(httpBasic("demo-service", "demo-service-secret"))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .content("token=" + service.get("access_token").asText())).andExpect(status().isOk());
        assertThat(introspect(service.get("access_token").asText()).get("active").asBoolean()).isFalse();
    }

    @Test
    void rotationReplacesTheRsaKey() throws Exception {
        String oldKid = signingKeys.active(SigningKeys.RS256).getKeyID();
        JsonNode before = login("clinicwave", "demo", "demo-password-1");
        String newKid = signingKeys.rotate();
        assertThat(newKid).isNotEqualTo(oldKid).isEqualTo(signingKeys.active(SigningKeys.RS256).getKeyID());
        assertThat(jwks().toString()).contains(oldKid, newKid);
        JsonNode after = login("clinicwave", "demo", "demo-password-1");
        assertThat(SignedJWT.parse(after.get("access_token").asText()).getHeader().getKeyID()).isEqualTo(newKid);
        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, bearer(before))).andExpect(status().isOk());
    }

    private JsonNode introspect(String token) throws Exception {
        return body(mvc.perform(post("/oauth2/introspect").with(httpBasic("demo-service", "demo-service-secret"))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("token=" + token)).andExpect(status().isOk()));
    }
}
