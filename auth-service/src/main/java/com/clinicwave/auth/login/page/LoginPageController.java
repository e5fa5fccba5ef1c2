package com.clinicwave.auth.login.page;

import com.clinicwave.auth.config.AuthProperties;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.util.HtmlUtils;

/** The sign-in page of the authorization server: username, password, tenant, and any federated providers. */
@Controller
class LoginPageController {

    private final AuthProperties properties;
    private final ObjectProvider<InMemoryClientRegistrationRepository> federation;

    LoginPageController(AuthProperties properties, ObjectProvider<InMemoryClientRegistrationRepository> federation) {
        this.properties = properties;
        this.federation = federation;
    }

    @GetMapping(value = "/login", produces = MediaType.TEXT_HTML_VALUE)
    @ResponseBody
    String login(HttpServletRequest request, @RequestParam(required = false) String tenant) {
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        String tenantValue = HtmlUtils.htmlEscape(tenant == null || tenant.isBlank() ? properties.defaultTenant() : tenant);
        StringBuilder providers = new StringBuilder();
        InMemoryClientRegistrationRepository registrations = federation.getIfAvailable();
        if (registrations != null) {
            for (ClientRegistration registration : registrations) {
                providers.append("<p><a href=\"oauth2/authorization/").append(HtmlUtils.htmlEscape(registration.getRegistrationId()))
                        .append("\">Sign in with ").append(HtmlUtils.htmlEscape(registration.getClientName())).append("</a></p>");
            }
        }
        String message = request.getParameter("error") != null ? "<p role=\"alert\">Sign-in failed.</p>"
                : request.getParameter("logout") != null ? "<p>You are signed out.</p>" : "";
        return """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>ClinicWave sign in</title>
                <meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
                <h1>Sign in to ClinicWave</h1>%s
                <form method="post" action="login">
                <label>Username <input name="username" autocomplete="username" required></label>
                <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
                <input type="hidden" name="tenant" value="%s">
                %s
                <button type="submit">Sign in</button>
                </form>%s</body></html>
                """.formatted(message, tenantValue, csrf == null ? ""
                : "<input type=\"hidden\" name=\"" + csrf.getParameterName() + "\" value=\"" + csrf.getToken() + "\">",
                providers);
    }

}
