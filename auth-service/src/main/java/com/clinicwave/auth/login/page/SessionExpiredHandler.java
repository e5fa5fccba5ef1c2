package com.clinicwave.auth.login.page;

import com.clinicwave.platform.web.ProblemBodies;
import com.clinicwave.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * A form of the browser flow (sign-in, logout) posted with a session that has expired meanwhile (seed 002, "session
 * expired"): its CSRF token died with the session, so it is refused — not as a bare 403 but as what it is. A browser
 * is sent back to the sign-in page, which says so ({@code /login?error=session_expired}); any other client gets 401
 * {@code SESSION_EXPIRED} problem+json. Every other access denial is answered as before.
 */
@Component
public class SessionExpiredHandler implements AccessDeniedHandler {

    public static final String ERROR = "session_expired";
    static final String CODE = "SESSION_EXPIRED";

    private final AccessDeniedHandler otherwise = new AccessDeniedHandlerImpl();
    private final Problems problems;
    private final JsonMapper json;

    SessionExpiredHandler(Problems problems, JsonMapper json) {
        this.problems = problems;
        this.json = json;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException, jakarta.servlet.ServletException {
        boolean expired = denied instanceof CsrfException && request.getRequestedSessionId() != null
                && !request.isRequestedSessionIdValid();
        if (!expired) {
            otherwise.handle(request, response, denied);
            return;
        }
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains(MediaType.TEXT_HTML_VALUE)) {
            response.sendRedirect(request.getContextPath() + "/login?error=" + ERROR);
            return;
        }
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), ProblemBodies.toMap(problems.create(HttpStatus.UNAUTHORIZED, CODE,
                "The sign-in session expired; start signing in again")));
    }
}
