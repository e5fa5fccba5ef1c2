package com.clinicwave.sandbox.fault;

import com.clinicwave.platform.web.Problems;
import com.clinicwave.sandbox.provider.Providers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import tools.jackson.databind.json.JsonMapper;

/** Applies the injected faults to provider requests before they reach the simulated servers. */
@Component
public class FaultInterceptor implements HandlerInterceptor {

    private final Faults faults;
    private final Providers providers;
    private final Problems problems;
    private final JsonMapper json;

    FaultInterceptor(Faults faults, Providers providers, Problems problems, JsonMapper json) {
        this.faults = faults;
        this.providers = providers;
        this.problems = problems;
        this.json = json;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        String[] segments = request.getRequestURI().substring(request.getContextPath().length()).split("/");
        if (segments.length < 3 || providers.find(segments[1]).isEmpty()) {
            return true;
        }
        String provider = segments[1];
        String api = api(segments);
        if (api == null) {
            return true;
        }
        Faults.Decision decision = faults.decide(provider, api).orElse(null);
        if (decision == null) {
            return true;
        }
        if (decision.latencyMs() > 0) {
            // A simulated slow provider: the request thread (virtual) waits like a slow upstream would.
            Thread.sleep(decision.latencyMs());
        }
        if (decision.status() == null) {
            return true;
        }
        HttpStatusCode status = HttpStatusCode.valueOf(decision.status());
        if (decision.retryAfterSeconds() != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, decision.retryAfterSeconds().toString());
        }
        response.setStatus(status.value());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (api.equals("token") || api.equals("revoke")) {
            // OAuth clients parse RFC 6749 errors from these endpoints.
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", status.value() == 429 || status.value() == 503 ? "temporarily_unavailable"
                    : status.is4xxClientError() ? "invalid_request" : "server_error");
            body.put("error_description", "Injected fault (sandbox)");
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            json.writeValue(response.getOutputStream(), body);
            return false;
        }
        ProblemDetail problem = problems.create(status, status.value() == HttpStatus.TOO_MANY_REQUESTS.value()
                ? "RATE_LIMITED" : "SANDBOX_FAULT", "Injected fault (sandbox)");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
        return false;
    }

    private static @Nullable String api(String[] segments) {
        String first = segments[2];
        if (first.equals(".well-known")) {
            return "discovery";
        }
        if (first.equals("fhir")) {
            return segments.length > 3 && segments[3].equals(".well-known") ? "discovery" : "fhir";
        }
        if (first.equals("api")) {
            return "api";
        }
        String endpoint = first.equals("oauth2") ? (segments.length > 3 ? segments[3] : "") : first;
        return switch (endpoint) {
            case "authorize", "token", "revoke", "userinfo" -> endpoint;
            case "jwks" -> "discovery";
            default -> null;
        };
    }
}
