package com.clinicwave.sandbox.oauth.web;

import com.clinicwave.sandbox.oauth.AuthorizationRequest;
import com.clinicwave.sandbox.provider.ProviderKind;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.util.HtmlUtils;

/** The provider's login and consent page: every value from the request is HTML-escaped. */
final class LoginPage {

    private LoginPage() {
    }

    static String render(AuthorizationRequest request, String action, @Nullable String error,
            @Nullable String username) {
        StringBuilder hidden = new StringBuilder();
        for (Map.Entry<String, String> parameter : request.parameters().entrySet()) {
            hidden.append("<input type=\"hidden\" name=\"").append(esc(parameter.getKey())).append("\" value=\"")
                    .append(esc(parameter.getValue())).append("\">\n");
        }
        String who = request.provider().kind() == ProviderKind.IDP ? "Sign in with" : "Connect your records at";
        StringBuilder scopes = new StringBuilder();
        for (String scope : request.scope().split(" ")) {
            scopes.append("<li><code>").append(esc(scope)).append("</code></li>");
        }
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>%1$s — sign in (sandbox)</title>
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
                label{display:block;margin:.8rem 0 .2rem}input[type=text],input[type=password]{width:100%%;padding:.4rem}
                .error{color:#a00}.buttons{margin-top:1.2rem;display:flex;gap:.6rem}button{padding:.5rem 1rem}
                .note{color:#555;font-size:.85rem}</style></head>
                <body><h1>%2$s %1$s</h1>
                <p><strong>%3$s</strong> asks to access:</p><ul>%4$s</ul>
                %5$s
                <form method="post" action="%6$s">
                %7$s<label for="username">Sandbox patient id</label>
                <input id="username" name="username" type="text" autocomplete="username" value="%8$s" placeholder="patient-001">
                <label for="password">Password</label>
                <input id="password" name="password" type="password" autocomplete="current-password">
                <div class="buttons"><button type="submit" name="decision" value="approve">Allow</button>
                <button type="submit" name="decision" value="deny">Deny</button></div></form>
                <p class="note">Sandbox: patients patient-001 … patient-100 and patient-large, password
                <code>sandbox-password</code>.</p></body></html>
                """.formatted(esc(request.provider().displayName()), who, esc(request.client().clientId()), scopes,
                error == null ? "" : "<p class=\"error\" role=\"alert\">" + esc(error) + "</p>", esc(action),
                hidden, username == null ? "" : esc(username));
    }

    private static String esc(String value) {
        return HtmlUtils.htmlEscape(value);
    }
}
