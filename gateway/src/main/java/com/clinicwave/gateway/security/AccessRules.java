package com.clinicwave.gateway.security;

import org.springframework.http.HttpMethod;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Which paths any client may call without a token, each with the reason it is open, and the coarse permission the
 * administration APIs need at the edge (the services enforce the fine-grained rules themselves).
 */
final class AccessRules {

    private record Rule(@Nullable HttpMethod method, PathPatterns paths) {
        boolean matches(HttpMethod requestMethod, String path) {
            return (method == null || method.equals(requestMethod)) && paths.matches(path);
        }
    }

    private static final List<Rule> PUBLIC = List.of(
            // OIDC discovery and the signing keys: clients need them before they have a token.
            new Rule(HttpMethod.GET, new PathPatterns(List.of("/.well-known/**", "/oauth2/jwks"))),
            // The browser side of the authorization-code flow (login and consent pages, federation callbacks,
            // RP-initiated logout): protected by auth-service's own session, not by a bearer token.
            // "/oauth2/authorization/{idp}" starts a federated sign-in ("Sign in with athenahealth").
            new Rule(null, new PathPatterns(List.of("/oauth2/authorize", "/oauth2/authorization/*", "/login",
                    "/login/**", "/logout", "/connect/logout", "/oauth2/consent", "/error"))),
            // Token, introspection and revocation endpoints authenticate OAuth clients themselves (RFC 6749/7662/7009).
            new Rule(HttpMethod.POST, new PathPatterns(List.of("/oauth2/token", "/oauth2/introspect", "/oauth2/revoke"))),
            // The first-party login API: how a user gets a token in the first place (rate limited more strictly).
            new Rule(HttpMethod.POST, new PathPatterns(List.of("/api/v1/auth/login", "/api/v1/auth/register",
                    "/api/v1/auth/refresh"))),
            // Providers redirect the user's browser here; the single-use state parameter is the credential.
            new Rule(HttpMethod.GET, new PathPatterns(List.of("/api/oauth/callback"))),
            // Our client-assertion keys (private_key_jwt): providers fetch them without any token.
            new Rule(HttpMethod.GET, new PathPatterns(List.of("/api/oauth/jwks"))),
            // The provider catalog is public marketing information.
            new Rule(HttpMethod.GET, new PathPatterns(List.of("/api/providers", "/api/providers/**"))),
            // The API documentation UI and the OpenAPI documents it shows.
            new Rule(HttpMethod.GET, new PathPatterns(List.of("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html",
                    "/swagger-ui/**", "/webjars/**"))));

    private static final PathPatterns USER_ADMIN = new PathPatterns(List.of("/api/v1/admin/**"));
    // The catalog and every tenant's connection tokens sit under platform keys: platform administrators only.
    private static final PathPatterns PROVIDER_ADMIN = new PathPatterns(List.of("/api/admin/providers",
            "/api/admin/providers/**", "/api/admin/connections", "/api/admin/connections/**"));

    private AccessRules() {
    }

    static boolean isPublic(HttpMethod method, String path) {
        for (Rule rule : PUBLIC) {
            if (rule.matches(method, path)) {
                return true;
            }
        }
        return false;
    }

    /** The permission a path needs beyond being authenticated, or {@code null}. */
    static @Nullable String requiredAuthority(String path) {
        if (path.startsWith("/api/v1/admin") && USER_ADMIN.matches(path)) {
            return "users:admin";
        }
        if (path.startsWith("/api/admin/") && PROVIDER_ADMIN.matches(path)) {
            return "providers:platform-admin";
        }
        return null;
    }
}
