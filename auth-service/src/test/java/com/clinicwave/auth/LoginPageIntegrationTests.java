package com.clinicwave.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import org.junit.jupiter.api.Test;

/**
 * The sign-in page people see first: the tenant's display name, labelled fields, the shared stylesheet reachable
 * while signed out, and nothing a request can inject into the HTML.
 */
class LoginPageIntegrationTests extends AuthIntegrationTest {

    @Test
    void pageNamesTheTenantAndLabelsEveryField() throws Exception {
        String page = mvc.perform(get("/login").param("tenant", "abott")).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("<title>Sign in · Abott Clinics</title>").contains("to Abott Clinics")
                .contains("<label for=\"username\">Username</label>").contains("<label for=\"password\">Password</label>")
                .contains("name=\"tenant\" value=\"abott\"").contains("name=\"_csrf\" value=\"")
                .contains("lang=\"en\"").contains("name=\"viewport\"")
                .contains("href=\"login/assets/clinicwave.css\"");
        String defaults = mvc.perform(get("/login")).andReturn().getResponse().getContentAsString();
        assertThat(defaults).contains("to ClinicWave").contains("name=\"tenant\" value=\"clinicwave\"");
    }

    @Test
    void failedSignInIsAnnouncedAndTiedToTheFields() throws Exception {
        String page = mvc.perform(get("/login").param("error", "")).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("role=\"alert\" id=\"login-error\"").contains("aria-describedby=\"login-error\"");
    }

    @Test
    void injectedTenantIsEscapedAndDoesNotRevealWhichTenantsExist() throws Exception {
        String attack = "\"><script>alert(1)</script>";
        String page = mvc.perform(get("/login").param("tenant", attack)).andReturn().getResponse().getContentAsString();
        assertThat(page).doesNotContain("<script>alert(1)</script>").doesNotContain("\"><script")
                .contains("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("to ClinicWave");
        String unknown = mvc.perform(get("/login").param("tenant", "no-such-tenant")).andReturn().getResponse()
                .getContentAsString();
        assertThat(unknown).contains("to ClinicWave");
    }

    @Test
    void sharedStylesheetIsServedToSignedOutVisitors() throws Exception {
        var response = mvc.perform(get("/login/assets/clinicwave.css")).andReturn().getResponse();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).startsWith("text/css");
        assertThat(response.getContentAsString()).contains("--cw-primary");
    }

    @Test
    void browserGetsAStyledErrorPageAndApiClientsStillGetProblems() throws Exception {
        // An authorization request with a redirect URI that is not registered: a person's browser lands here.
        String query = "?response_type=code&client_id=companion-web&redirect_uri=https://evil.example/cb"
                + "&scope=openid&code_challenge=abc&code_challenge_method=S256&state=s";
        var html = mvc.perform(get("/error").accept(org.springframework.http.MediaType.TEXT_HTML)
                .requestAttr(jakarta.servlet.RequestDispatcher.ERROR_STATUS_CODE, 400)
                .requestAttr(jakarta.servlet.RequestDispatcher.ERROR_REQUEST_URI, "/oauth2/authorize" + query))
                .andReturn().getResponse();
        assertThat(html.getStatus()).isEqualTo(400);
        assertThat(html.getContentType()).startsWith("text/html");
        assertThat(html.getContentAsString()).contains("We could not sign you in").contains("role=\"alert\"")
                .contains("clinicwave.css").doesNotContain("evil.example").doesNotContain("Exception");
        var json = mvc.perform(get("/error").accept(org.springframework.http.MediaType.APPLICATION_JSON)
                .requestAttr(jakarta.servlet.RequestDispatcher.ERROR_STATUS_CODE, 400)).andReturn().getResponse();
        assertThat(json.getContentType()).startsWith("application/problem+json");
        assertThat(json.getContentAsString()).contains("\"code\"");
        var any = mvc.perform(get("/error").requestAttr(jakarta.servlet.RequestDispatcher.ERROR_STATUS_CODE, 404))
                .andReturn().getResponse();
        assertThat(any.getContentType()).startsWith("application/problem+json");
    }
}
