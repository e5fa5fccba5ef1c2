package com.clinicwave.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;

/** Browser-side OAuth steps for tests: sign in on the login page, authorize with PKCE, call the token endpoint. */
abstract class OAuthFlowTest extends AuthIntegrationTest {

    static final String CLIENT = "companion-web";
    static final String REDIRECT = "http://127.0.0.1:5173/callback";
    static final String SCOPE = "openid profile email offline_access claims:read connections:read";

    /** What a fresh user's authorization-code flow with PKCE gave: the code and the token response. */
    protected record CodeFlow(String code, JsonNode tokens) {
    }

    /** Signs a new user of {@code clinicwave} in, authorizes {@code companion-web} with PKCE and redeems the code. */
    protected CodeFlow codeFlow() throws Exception {
        MockHttpSession session = signIn("clinicwave", newUser("clinicwave", "oauth-pass-123"), "oauth-pass-123");
        String verifier = verifier();
        String code = authorize(session, challenge(verifier), REDIRECT);
        return new CodeFlow(code, token("grant_type=authorization_code&code=" + code + "&redirect_uri=" + REDIRECT
                + "&client_id=" + CLIENT + "&code_verifier=" + verifier, 200));
    }

    protected MockHttpSession signIn(String tenant, String username, String password) throws Exception {
        MockHttpSession session = new MockHttpSession();
        mvc.perform(post("/login").session(session).with(csrf()).param("username", username).param("password", password)
                .param("tenant", tenant)).andExpect(status().is3xxRedirection())
                .andExpect(r -> assertThat(r.getResponse().getRedirectedUrl()).doesNotContain("error"));
        return session;
    }

    protected String authorize(MockHttpSession session, String challenge, String redirect) throws Exception {
        MvcResult result = authorizeRaw(session, "&code_challenge=" + challenge + "&code_challenge_method=S256", redirect);
        String location = result.getResponse().getRedirectedUrl();
        assertThat(location).as(() -> result.getResponse().getStatus() + " " + contentOf(result)).startsWith(redirect + "?code=");
        var params = UriComponentsBuilder.fromUri(URI.create(location)).build().getQueryParams();
        assertThat(params.getFirst("state")).isEqualTo("st4te");
        return params.getFirst("code");
    }

    protected MvcResult authorizeRaw(MockHttpSession session, String pkce, String redirect) throws Exception {
        // The authorization endpoint reads the query string (not form parameters): build a real encoded URI.
        var uri = UriComponentsBuilder.fromPath("/oauth2/authorize").queryParam("response_type", "code")
                .queryParam("client_id", CLIENT).queryParam("redirect_uri", redirect).queryParam("scope", SCOPE)
                .queryParam("state", "st4te").queryParam("nonce", "n0nce");
        for (String pair : pkce.split("&")) {
            if (!pair.isEmpty()) {
                uri.queryParam(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        return mvc.perform(get(uri.encode().build().toUri()).session(session).accept(MediaType.TEXT_HTML)).andReturn();
    }

    protected JsonNode token(String form, int expected) throws Exception {
        return body(mvc.perform(post("/oauth2/token").contentType(MediaType.APPLICATION_FORM_URLENCODED).content(form))
                .andExpect(status().is(expected)));
    }

    private static String contentOf(MvcResult result) {
        try {
            return result.getResponse().getContentAsString();
        } catch (java.io.UnsupportedEncodingException e) {
            return "";
        }
    }

    protected static String verifier() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    }

    protected static String challenge(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }
}
