package com.clinicwave.auth.state;

import com.clinicwave.auth.config.PasswordHashingBusyException;
import com.clinicwave.platform.web.ProblemBodies;
import com.clinicwave.platform.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fails closed when Redis (the security state) is down, for everything the MVC handlers do not see: the OAuth
 * protocol endpoints (token, revocation, introspection of refresh tokens), the login page, the security filters.
 * A Redis failure escaping the filter chain becomes 503 {@code SECURITY_STATE_UNAVAILABLE} problem+json with
 * {@code Retry-After}; so does a password hash refused for want of a slot (503 {@code PASSWORD_HASHING_BUSY}, e.g. an
 * argon2-hashed client secret at the token endpoint); anything else is rethrown untouched. MVC handlers get the same
 * answers from {@link SecurityStateAdvice} and the login API's advice.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class SecurityStateFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(SecurityStateFilter.class);

    private final Problems problems;
    private final JsonMapper json;

    SecurityStateFilter(Problems problems, JsonMapper json) {
        this.problems = problems;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (RuntimeException | ServletException | IOException e) {
            PasswordHashingBusyException busy = hashingBusy(e);
            if (busy != null && !response.isCommitted()) {
                unavailable(response, busy.retryAfter().toSeconds(), busy.code(), busy.getMessage());
                return;
            }
            if (!SecurityState.isStoreFailure(e) || response.isCommitted()) {
                throw e;
            }
            log.error("Security state unavailable (Redis): {} {} answered 503 ({})", request.getMethod(),
                    request.getRequestURI(), e.getClass().getSimpleName());
            unavailable(response, 5, SecurityState.UNAVAILABLE, SecurityState.DETAIL);
        }
    }

    private void unavailable(HttpServletResponse response, long retryAfterSeconds, String code, String detail)
            throws IOException {
        response.resetBuffer();
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), ProblemBodies.toMap(problems.create(
                HttpStatus.SERVICE_UNAVAILABLE, code, detail)));
    }

    private static @Nullable PasswordHashingBusyException hashingBusy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PasswordHashingBusyException busy) {
                return busy;
            }
        }
        return null;
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }
}
