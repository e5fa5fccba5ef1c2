package com.clinicwave.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * One log line per request (method, route, status, duration), written inside the request's observation so it
 * carries the trace and span ids. The route is the matched template ({@code /api/connections/{id}/claims}), never
 * the raw path: paths hold patient and connection ids. Never logs query strings, headers or bodies: they may hold
 * tokens or PHI. Actuator calls are left out; they are scraped every few seconds.
 */
public class AccessLogFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger("clinicwave.access");

    /** A path segment kept in a log line when no route matched: a plain word, never something that may be an id. */
    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            if (log.isInfoEnabled()) {
                log.info("{} {} {} {}ms", request.getMethod(), pathForLog(request), response.getStatus(),
                        (System.nanoTime() - start) / 1_000_000);
            }
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator");
    }

    /**
     * The request's path as it may appear in a log line: the route template Spring MVC matched, else the path with
     * every segment that is not a plain lower-case word replaced by {@code {}} (ids, numbers, encoded or unusual
     * text), so that no identifier and no hostile input reaches the logs.
     */
    public static String pathForLog(HttpServletRequest request) {
        if (request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof String pattern
                && !pattern.isEmpty() && !"/**".equals(pattern)) {
            return pattern;
        }
        return maskedPath(request.getRequestURI());
    }

    public static String maskedPath(String uri) {
        return com.clinicwave.platform.observation.PathMasking.maskedPath(uri);
    }
}
