package com.clinicwave.auth.oauth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * The token, introspection and revocation endpoints when the request carries no client authentication the server
 * accepts (none at all, a garbled or duplicated {@code Authorization}): RFC 6749 §5.2 {@code invalid_client}, 401
 * with {@code WWW-Authenticate: Basic}, as a JSON body OAuth client libraries parse — instead of the empty 401 the
 * resource-server entry point would answer.
 */
final class ClientAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private static final OAuth2Error INVALID_CLIENT = new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
            "Client authentication failed", null);

    private final OAuth2ErrorHttpMessageConverter errors = new OAuth2ErrorHttpMessageConverter();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException authException) throws IOException {
        ServletServerHttpResponse out = new ServletServerHttpResponse(response);
        out.setStatusCode(HttpStatus.UNAUTHORIZED);
        out.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"clinicwave\"");
        out.getHeaders().setCacheControl("no-store");
        errors.write(INVALID_CLIENT, null, out);
    }
}
