package com.clinicwave.gateway.security;

import com.clinicwave.gateway.problem.GatewayProblems;
import com.clinicwave.platform.web.ProblemCodes;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The reactive counterparts of the platform's servlet security handlers: a refused or missing credential and a
 * missing permission become problem+json ({@code TOKEN_INVALID}, {@code TOKEN_EXPIRED}, {@code TOKEN_REVOKED},
 * {@code API_KEY_*}, {@code UNAUTHENTICATED}, {@code INSUFFICIENT_PERMISSIONS}) with an RFC 6750 challenge.
 */
@Component
class ProblemSecurityHandlers implements ServerAuthenticationEntryPoint, ServerAuthenticationFailureHandler,
        ServerAccessDeniedHandler {

    private final GatewayProblems problems;

    ProblemSecurityHandlers(GatewayProblems problems) {
        this.problems = problems;
    }

    /** No credential on a path that needs one. */
    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
        return problems.write(exchange, HttpStatus.UNAUTHORIZED, ProblemCodes.UNAUTHENTICATED,
                "Authentication is required", h -> h.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer"));
    }

    /** A credential was presented and refused. */
    @Override
    public Mono<Void> onAuthenticationFailure(WebFilterExchange webFilterExchange, AuthenticationException ex) {
        ServerWebExchange exchange = webFilterExchange.getExchange();
        if (ex instanceof TokenRejectedException rejected) {
            String challenge = rejected.status() == HttpStatus.UNAUTHORIZED
                    ? "Bearer error=\"invalid_token\", error_description=\"" + rejected.getMessage() + "\"" : null;
            return problems.write(exchange, rejected.status(), rejected.code(), rejected.getMessage(), h -> {
                if (challenge != null) {
                    h.set(HttpHeaders.WWW_AUTHENTICATE, challenge);
                }
                if (rejected.status() == HttpStatus.SERVICE_UNAVAILABLE) {
                    h.set(HttpHeaders.RETRY_AFTER, "5");
                }
            });
        }
        return problems.write(exchange, HttpStatus.UNAUTHORIZED, ProblemCodes.TOKEN_INVALID,
                "The access token is invalid",
                h -> h.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""));
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange,
            org.springframework.security.access.AccessDeniedException denied) {
        return problems.write(exchange, HttpStatus.FORBIDDEN, ProblemCodes.INSUFFICIENT_PERMISSIONS,
                "You do not have permission to do this",
                h -> h.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\""));
    }
}
