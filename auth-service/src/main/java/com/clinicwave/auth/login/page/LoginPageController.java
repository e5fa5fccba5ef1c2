package com.clinicwave.auth.login.page;

import com.clinicwave.auth.config.AuthProperties;
import com.clinicwave.auth.tenant.Tenant;
import com.clinicwave.auth.tenant.TenantRepository;
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

/**
 * The sign-in page of the authorization server: username, password, tenant, and any federated providers, in the
 * look of companion-web (the shared stylesheet {@code /login/assets/clinicwave.css}), titled with the tenant's display
 * name, responsive and labelled for assistive technology. An unknown tenant key is shown as the product name (the
 * page never tells which tenants exist); the value is escaped everywhere it appears.
 */
@Controller
class LoginPageController {

    private static final String LOGO = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\" width=\"28\" height=\"28\" "
            + "aria-hidden=\"true\" focusable=\"false\"><rect width=\"32\" height=\"32\" rx=\"8\" fill=\"#0b5cad\"/>"
            + "<path d=\"M9 17h4l2-6 3 11 2-5h3\" fill=\"none\" stroke=\"#fff\" stroke-width=\"2.4\" stroke-linecap=\"round\" "
            + "stroke-linejoin=\"round\"/></svg>";

    private final AuthProperties properties;
    private final TenantRepository tenants;
    private final ObjectProvider<InMemoryClientRegistrationRepository> federation;

    private final com.clinicwave.auth.login.TenantResolver tenantResolver;

    LoginPageController(AuthProperties properties, TenantRepository tenants,
            ObjectProvider<InMemoryClientRegistrationRepository> federation,
            com.clinicwave.auth.login.TenantResolver tenantResolver) {
        this.tenantResolver = tenantResolver;
        this.properties = properties;
        this.tenants = tenants;
        this.federation = federation;
    }

    @GetMapping(value = "/login", produces = MediaType.TEXT_HTML_VALUE)
    @ResponseBody
    String login(HttpServletRequest request, @RequestParam(required = false) String tenant) {
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        // Issue 16: ?tenant= when given, else the tenant whose domain the browser used (abott.localhost → abott).
        String tenantKey = tenantResolver.resolve(tenant, request.getServerName(), null);
        String tenantName = displayName(tenantKey);
        StringBuilder providers = new StringBuilder();
        InMemoryClientRegistrationRepository registrations = federation.getIfAvailable();
        if (registrations != null) {
            for (ClientRegistration registration : registrations) {
                providers.append("<li><a class=\"btn btn-secondary\" href=\"oauth2/authorization/")
                        .append(HtmlUtils.htmlEscape(registration.getRegistrationId())).append("\">Sign in with ")
                        .append(HtmlUtils.htmlEscape(registration.getClientName())).append("</a></li>");
            }
        }
        String federated = providers.isEmpty() ? ""
                : "<div class=\"divider\">or</div><ul class=\"federated\" aria-label=\"Other ways to sign in\">"
                        + providers + "</ul>";
        String message = "federation_link_refused".equals(request.getParameter("error"))
                ? "<div class=\"alert alert-error\" role=\"alert\" id=\"login-error\">An account here already uses that"
                        + " email address, and it is not verified, so it was not linked. Sign in with its username and"
                        + " password instead.</div>"
                : SessionExpiredHandler.ERROR.equals(request.getParameter("error"))
                ? "<div class=\"alert alert-error\" role=\"alert\" id=\"login-error\">Your sign-in page expired"
                        + " before you submitted it. Go back to the app and start signing in again.</div>"
                : FormLoginProvider.BUSY_ERROR.equals(request.getParameter("error"))
                ? "<div class=\"alert alert-error\" role=\"alert\" id=\"login-error\">Too many sign-ins are in"
                        + " progress right now. Nothing was checked: try again in a moment.</div>"
                : request.getParameter("error") != null
                ? "<div class=\"alert alert-error\" role=\"alert\" id=\"login-error\">Sign-in failed: check your username"
                        + " and password. After several failed attempts the account is locked for a while.</div>"
                : request.getParameter("logout") != null
                        ? "<div class=\"alert alert-ok\" role=\"status\">You are signed out.</div>" : "";
        String describedBy = request.getParameter("error") != null ? " aria-describedby=\"login-error\"" : "";
        String signUp = properties.signUpUrl() == null || properties.signUpUrl().isBlank() ? ""
                : "<p class=\"foot\">New here? <a href=\"" + HtmlUtils.htmlEscape(properties.signUpUrl())
                        + "\">Create an account</a></p>";
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Sign in · %1$s</title>
                <link rel="stylesheet" href="login/assets/clinicwave.css"></head>
                <body><header class="topbar"><div class="topbar-inner">%2$s<span>ClinicWave</span></div></header>
                <main id="main"><div class="card">
                <h1>Sign in</h1><p class="sub">to %1$s</p>
                %3$s
                <form method="post" action="login">
                <div class="field"><label for="username">Username</label>
                <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none"
                spellcheck="false" required autofocus%4$s></div>
                <div class="field"><label for="password">Password</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required%4$s></div>
                <input type="hidden" name="tenant" value="%5$s">
                %6$s
                <button class="btn btn-primary" type="submit">Sign in</button>
                </form>%7$s</div>%8$s</main></body></html>
                """.formatted(HtmlUtils.htmlEscape(tenantName), LOGO, message, describedBy,
                HtmlUtils.htmlEscape(tenantKey), csrf == null ? ""
                        : "<input type=\"hidden\" name=\"" + csrf.getParameterName() + "\" value=\"" + csrf.getToken() + "\">",
                federated, signUp);
    }

    private String displayName(String tenantKey) {
        if (tenantKey.length() > 64) {
            return "ClinicWave";
        }
        return tenants.findByKey(tenantKey).map(Tenant::name).orElse("ClinicWave");
    }
}
