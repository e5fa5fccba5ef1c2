package com.clinicwave.platform.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ProblemDetail;

/** Flattens a problem into the JSON object RFC 9457 describes, for code that writes responses by hand (filters). */
public final class ProblemBodies {

    private ProblemBodies() {
    }

    public static Map<String, Object> toMap(ProblemDetail problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        if (problem.getDetail() != null) {
            body.put("detail", problem.getDetail());
        }
        if (problem.getInstance() != null) {
            body.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        return body;
    }
}
