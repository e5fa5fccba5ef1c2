package com.clinicwave.auth.oauth;

import com.clinicwave.auth.audit.AuditLog;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Defence in depth for internal clients (issue 13, item 3): runs right after client authentication on the protocol
 * endpoints and refuses a request of an internal client that came through the public gateway (header
 * {@code X-ClinicWave-Edge: public}) with the OAuth error {@code unauthorized_client} (400), audited as
 * {@code oauth.internal_client_at_edge}. Internal clients talk to auth-service inside the platform network only.
 */
final class InternalClientEdgeFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(InternalClientEdgeFilter.class);
    private static final HttpMessageConverter<OAuth2Error> ERRORS = new OAuth2ErrorHttpMessageConverter();

    private final AuditLog audit;

    InternalClientEdgeFilter(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof OAuth2ClientAuthenticationToken client && client.isAuthenticated()
                && client.getRegisteredClient() != null && InternalClients.isInternal(client.getRegisteredClient())
                && fromPublicEdge(request)) {
            String clientId = client.getRegisteredClient().getClientId();
            audit.record("oauth.internal_client_at_edge", null, null, clientId, request.getRemoteAddr(),
                    request.getRequestURI());
            log.warn("Refused internal client {} at {} through the public gateway", clientId, request.getRequestURI());
            SecurityContextHolder.clearContext();
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            ERRORS.write(new OAuth2Error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
                    "Internal clients may not use this endpoint through the public gateway", null), null,
                    new ServletServerHttpResponse(response));
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean fromPublicEdge(HttpServletRequest request) {
        var values = request.getHeaders(InternalClients.EDGE_HEADER);
        while (values != null && values.hasMoreElements()) {
            String value = values.nextElement();
            if (value != null && !value.isBlank()) {
                // Any value counts: only the gateway sets the header, and it sets "public".
                return true;
            }
        }
        return false;
    }
}
