package com.clinicwave.platform.security;

import com.clinicwave.platform.web.ProblemBodies;
import com.clinicwave.platform.web.ProblemCodes;
import com.clinicwave.platform.web.Problems;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Problem+json answers for a servlet service's security filter chain: 401 with the token error code
 * ({@code TOKEN_EXPIRED}, {@code TOKEN_INVALID}, …) and {@code WWW-Authenticate}, 403 {@code INSUFFICIENT_PERMISSIONS}.
 */
public class ServletProblemSecurityHandlers {

    private final Problems problems;
    private final JsonMapper json;

    public ServletProblemSecurityHandlers(Problems problems, JsonMapper json) {
        this.problems = problems;
        this.json = json;
    }

    public AuthenticationEntryPoint authenticationEntryPoint() {
        return (request, response, ex) -> {
            TokenProblems.Verdict verdict = TokenProblems.classify(ex);
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, TokenProblems.wwwAuthenticate(verdict));
            write(response, problems.create(HttpStatus.UNAUTHORIZED, verdict.code(), verdict.detail()));
        };
    }

    public AccessDeniedHandler accessDeniedHandler() {
        return (request, response, ex) -> write(response, problems.create(HttpStatus.FORBIDDEN,
                ProblemCodes.INSUFFICIENT_PERMISSIONS, "The caller lacks the permission this request needs"));
    }

    private void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), ProblemBodies.toMap(problem));
    }
}
