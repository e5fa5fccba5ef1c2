package com.clinicwave.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;

/**
 * The native app client {@code companion-mobile} (RFC 8252): loopback redirects on an IP literal match with any port
 * and nothing else varies, {@code localhost} gets no port variance, the private-use scheme matches exactly, PKCE S256
 * is required, consent is asked once, and refresh tokens rotate with reuse detection.
 */
class NativeAppClientIntegrationTests extends OAuthFlowTest {

    private static final String MOBILE = "companion-mobile";
    private static final String APP = "com.clinicwave.companion:/oauth2redirect";
    private static final String MOBILE_SCOPE = "openid profile offline_access connections:read connections:write";
    private static final String PASSWORD = "mobile-pass-123";

    @Autowired
    RegisteredClientRepository clients;

    @Test
    void registeredAsAPublicClientWithPkceConsentAndRotatingRefreshTokens() {
        RegisteredClient client = clients.findByClientId(MOBILE);
        assertThat(client).isNotNull();
        assertThat(client.getClientSecret()).isNull();
        assertThat(client.getClientAuthenticationMethods()).extracting(m -> m.getValue()).containsExactly("none");
        assertThat(client.getAuthorizationGrantTypes()).extracting(g -> g.getValue())
                .containsExactlyInAnyOrder("authorization_code", "refresh_token");
        assertThat(client.getRedirectUris()).containsExactlyInAnyOrder(APP, "http://127.0.0.1/callback",
                "http://[::1]/callback");
        assertThat(client.getClientSettings().isRequireProofKey()).isTrue();
        assertThat(client.getClientSettings().isRequireAuthorizationConsent()).isTrue();
        assertThat(client.getTokenSettings().isReuseRefreshTokens()).isFalse();
    }

    @Test
    void loopbackRedirectsOnAnIpLiteralAreAcceptedWithAnyPort() throws Exception {
        MockHttpSession session = signedIn();
        for (String redirect : List.of("http://127.0.0.1:1/callback", "http://127.0.0.1:49152/callback",
                "http://127.0.0.1:65535/callback", "http://127.0.0.1/callback", "http://[::1]:4711/callback",
                "http://[::1]/callback")) {
            MvcResult result = authorizeMobile(session, redirect, challenge(verifier()));
            // Accepted: the consent page for this client (no error page, no redirect anywhere yet).
            assertThat(result.getResponse().getStatus()).as(redirect).isEqualTo(200);
            assertThat(result.getResponse().getContentAsString()).as(redirect).contains("consent_form")
                    .contains(MOBILE);
        }
    }

    @Test
    void everyOtherRedirectIsRefusedWithoutRedirecting() throws Exception {
        MockHttpSession session = signedIn();
        for (String redirect : List.of(
                // loopback: path, host, scheme, query, user info, fragment must match exactly
                "http://127.0.0.1:4711/other", "http://127.0.0.1:4711/callback/", "http://127.0.0.1:4711/callback/../other",
                "http://127.0.0.1:4711/callback?next=https://evil.example", "http://127.0.0.1:4711/callback#x",
                "http://evil@127.0.0.1:4711/callback", "https://127.0.0.1:4711/callback", "http://127.0.0.2:4711/callback",
                "http://[::1]:4711/other",
                // localhost is a name, not the loopback interface: no port variance, and not registered at all
                "http://localhost:4711/callback", "http://localhost/callback",
                // the private-use scheme: exactly the registered URI
                "com.clinicwave.companion:/oauth2redirect/x", "com.clinicwave.companion://oauth2redirect",
                "com.clinicwave.companion:/oauth2redirect?x=1", "com.clinicwave.companion:/connect",
                "COM.CLINICWAVE.COMPANION:/oauth2redirect", "com.evil.app:/oauth2redirect",
                // companion-web's redirect is not this client's
                "http://127.0.0.1:5173/other")) {
            MvcResult result = authorizeMobile(session, redirect, challenge(verifier()));
            assertThat(result.getResponse().getStatus()).as(redirect).isEqualTo(400);
            assertThat(result.getResponse().getRedirectedUrl()).as(redirect).isNull();
            assertThat(result.getResponse().getContentAsString()).as(redirect).doesNotContain("consent_form");
        }
    }

    @Test
    void pkceS256IsRequired() throws Exception {
        MockHttpSession session = signedIn();
        String loopback = "http://127.0.0.1:50123/callback";
        // No challenge, or plain: an error to the (valid) redirect, no code.
        String none = authorizeMobile(session, loopback, null).getResponse().getRedirectedUrl();
        assertThat(none).startsWith(loopback + "?").contains("error=invalid_request").doesNotContain("code=");
        String plain = authorizeMobileRaw(session, loopback, "abcdefghijabcdefghijabcdefghijabcdefghij12345", "plain")
                .getResponse().getRedirectedUrl();
        assertThat(plain).startsWith(loopback + "?").contains("error=invalid_request").doesNotContain("code=");

        String verifier = verifier();
        String code = consent(session, authorizeMobile(session, loopback, challenge(verifier)), loopback);
        // Without a verifier the public client is not even authenticated; with a wrong one the grant is refused.
        token("grant_type=authorization_code&code=" + code + "&redirect_uri=" + loopback + "&client_id=" + MOBILE, 401);
        assertThat(token("grant_type=authorization_code&code=" + code + "&redirect_uri=" + loopback
                + "&client_id=" + MOBILE + "&code_verifier=" + verifier(), 400).get("error").asText())
                .isEqualTo("invalid_grant");
    }

    @Test
    void theLoopbackFlowAsksConsentOnceAndRefreshTokensRotateWithReuseDetection() throws Exception {
        MockHttpSession session = signedIn();
        String loopback = "http://127.0.0.1:61001/callback";
        String verifier = verifier();
        String code = consent(session, authorizeMobile(session, loopback, challenge(verifier)), loopback);
        // The token request must name the very redirect of the authorization (another port is another URI).
        token("grant_type=authorization_code&code=" + code + "&redirect_uri=http://127.0.0.1:61002/callback"
                + "&client_id=" + MOBILE + "&code_verifier=" + verifier, 400);

        String verifier2 = verifier();
        // Consent was given: the next authorization (another port, as the app picks a free one) gives a code at once.
        String loopback2 = "http://127.0.0.1:61003/callback";
        MvcResult again = authorizeMobile(session, loopback2, challenge(verifier2));
        String code2 = codeFrom(again, loopback2);
        JsonNode first = token("grant_type=authorization_code&code=" + code2 + "&redirect_uri=" + loopback2
                + "&client_id=" + MOBILE + "&code_verifier=" + verifier2, 200);
        assertThat(first.get("refresh_token").asText()).isNotBlank();
        assertThat(first.get("id_token").asText()).isNotBlank();
        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, bearer(first))).andExpect(status().isOk());

        JsonNode second = token("grant_type=refresh_token&client_id=" + MOBILE + "&refresh_token="
                + first.get("refresh_token").asText(), 200);
        assertThat(second.get("refresh_token").asText()).isNotEqualTo(first.get("refresh_token").asText());
        // The rotated-away token replayed: refused, and the family (current refresh and access tokens) revoked.
        assertThat(token("grant_type=refresh_token&client_id=" + MOBILE + "&refresh_token="
                + first.get("refresh_token").asText(), 400).get("error").asText()).isEqualTo("invalid_grant");
        token("grant_type=refresh_token&client_id=" + MOBILE + "&refresh_token=" + second.get("refresh_token").asText(),
                400);
        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, bearer(second)))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.code").value("TOKEN_REVOKED"));
    }

    @Test
    void thePrivateUseSchemeRedirectCarriesTheCodeToTheApp() throws Exception {
        MockHttpSession session = signedIn();
        String verifier = verifier();
        String code = consent(session, authorizeMobile(session, APP, challenge(verifier)), APP);
        JsonNode tokens = token("grant_type=authorization_code&code=" + code + "&redirect_uri="
                + URLEncoder.encode(APP, StandardCharsets.UTF_8) + "&client_id=" + MOBILE + "&code_verifier=" + verifier, 200);
        assertThat(tokens.get("refresh_token").asText()).isNotBlank();
        // A refresh token of this client is no use to another client.
        assertThat(token("grant_type=refresh_token&client_id=" + CLIENT + "&refresh_token="
                + tokens.get("refresh_token").asText(), 400).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void aDeniedConsentGivesNoCode() throws Exception {
        MockHttpSession session = signedIn();
        String loopback = "http://127.0.0.1:61010/callback";
        MvcResult page = authorizeMobile(session, loopback, challenge(verifier()));
        // Cancel on the consent page submits no scope.
        MvcResult denied = mvc.perform(post("/oauth2/authorize").session(session).with(csrf())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("client_id", MOBILE).param("state", consentState(page))).andReturn();
        assertThat(denied.getResponse().getRedirectedUrl()).startsWith(loopback + "?")
                .contains("error=access_denied").doesNotContain("code=");
    }

    private MockHttpSession signedIn() throws Exception {
        return signIn("clinicwave", newUser("clinicwave", PASSWORD), PASSWORD);
    }

    private MvcResult authorizeMobile(MockHttpSession session, String redirect, String challenge) throws Exception {
        return authorizeMobileRaw(session, redirect, challenge, challenge == null ? null : "S256");
    }

    private MvcResult authorizeMobileRaw(MockHttpSession session, String redirect, String challenge, String method)
            throws Exception {
        var uri = UriComponentsBuilder.fromPath("/oauth2/authorize").queryParam("response_type", "code")
                .queryParam("client_id", MOBILE).queryParam("redirect_uri", redirect).queryParam("scope", MOBILE_SCOPE)
                .queryParam("state", "st4te").queryParam("nonce", "n0nce");
        if (challenge != null) {
            uri.queryParam("code_challenge", challenge).queryParam("code_challenge_method", method);
        }
        return mvc.perform(get(uri.encode().build().toUri()).session(session).accept(MediaType.TEXT_HTML)).andReturn();
    }

    /** Approves every scope on the consent page and answers the code sent to {@code redirect}. */
    private String consent(MockHttpSession session, MvcResult page, String redirect) throws Exception {
        assertThat(page.getResponse().getStatus()).as(page.getResponse().getContentAsString()).isEqualTo(200);
        var approve = post("/oauth2/authorize").session(session).with(csrf())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("client_id", MOBILE).param("state", consentState(page));
        Matcher scopes = Pattern.compile("name=\"scope\" value=\"([^\"]+)\"")
                .matcher(page.getResponse().getContentAsString());
        while (scopes.find()) {
            approve.param("scope", scopes.group(1));
        }
        return codeFrom(mvc.perform(approve).andReturn(), redirect);
    }

    private static String consentState(MvcResult page) throws Exception {
        Matcher state = Pattern.compile("name=\"state\" value=\"([^\"]+)\"").matcher(page.getResponse().getContentAsString());
        assertThat(state.find()).as("consent page has the consent state").isTrue();
        return state.group(1);
    }

    private static String codeFrom(MvcResult result, String redirect) {
        String location = result.getResponse().getRedirectedUrl();
        assertThat(location).as(() -> result.getResponse().getStatus() + " " + location).startsWith(redirect + "?");
        var params = UriComponentsBuilder.fromUri(URI.create(location)).build().getQueryParams();
        assertThat(params.getFirst("state")).isEqualTo("st4te");
        assertThat(params.getFirst("code")).isNotBlank();
        return params.getFirst("code");
    }
}
