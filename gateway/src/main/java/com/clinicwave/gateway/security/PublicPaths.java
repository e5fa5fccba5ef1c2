package com.clinicwave.gateway.security;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.server.util.matcher.OrServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/** The paths any client may call without a token, each with the reason it is open. */
public final class PublicPaths {

    public static final ServerWebExchangeMatcher MATCHER = new OrServerWebExchangeMatcher(
            // OIDC discovery and the signing keys: clients need them before they have a token.
            ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, "/.well-known/**", "/oauth2/jwks"),
            // The browser side of the authorization-code flow (login and consent pages, federation callbacks,
            // RP-initiated logout): protected by auth-service's own session, not by a bearer token.
            ServerWebExchangeMatchers.pathMatchers("/oauth2/authorize", "/login", "/login/**", "/logout",
                    "/connect/logout", "/oauth2/consent", "/error"),
            // Token, introspection and revocation endpoints authenticate OAuth clients themselves (RFC 6749/7662/7009).
            ServerWebExchangeMatchers.pathMatchers(HttpMethod.POST, "/oauth2/token", "/oauth2/introspect",
                    "/oauth2/revoke"),
            // The first-party login API: how a user gets a token in the first place (rate limited more strictly).
            ServerWebExchangeMatchers.pathMatchers(HttpMethod.POST, "/api/v1/auth/login", "/api/v1/auth/register",
                    "/api/v1/auth/refresh"),
            // Providers redirect the user's browser here; the single-use state parameter is the credential.
            ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, "/api/oauth/callback"),
            // Our client-assertion keys (private_key_jwt): providers fetch them without any token.
            ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, "/api/oauth/jwks"),
            // The provider catalog is public marketing information.
            ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, "/api/providers", "/api/providers/**"),
            // The API documentation UI and the OpenAPI documents it shows.
            ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**",
                    "/swagger-ui.html", "/swagger-ui/**", "/webjars/**"));

    private PublicPaths() {
    }
}
