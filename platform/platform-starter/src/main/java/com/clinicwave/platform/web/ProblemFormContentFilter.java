package com.clinicwave.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.servlet.filter.OrderedFormContentFilter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.FormContentFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spring's {@link FormContentFilter} (form bodies of PUT, PATCH and DELETE) throws from inside the filter chain when
 * the body is not validly percent-encoded ({@code a=%zz}): a 500 through the error page. This one answers 400
 * {@code MALFORMED_REQUEST} instead. Only a failure before the rest of the chain runs is answered here; anything the
 * chain itself throws propagates untouched.
 */
public class ProblemFormContentFilter extends OrderedFormContentFilter {

    private final Problems problems;
    private final JsonMapper json;

    public ProblemFormContentFilter(Problems problems, JsonMapper json) {
        this.problems = problems;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean[] reached = {false};
        FilterChain marking = (req, res) -> {
            reached[0] = true;
            chain.doFilter(req, res);
        };
        try {
            super.doFilterInternal(request, response, marking);
        } catch (RuntimeException | IOException unparseable) {
            if (reached[0] || response.isCommitted()) {
                throw unparseable;
            }
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            json.writeValue(response.getOutputStream(), ProblemBodies.toMap(problems.create(HttpStatus.BAD_REQUEST,
                    ProblemCodes.MALFORMED_REQUEST, "The form body is not validly encoded")));
        }
    }
}
