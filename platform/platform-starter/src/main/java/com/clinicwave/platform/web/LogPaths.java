package com.clinicwave.platform.web;

import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Paths as they may appear in a log line or a span: every segment that is not a plain lower-case word (ids,
 * numbers, encoded or unusual text) replaced by {@code {}}. Free of any web stack's types: used by servlet filters,
 * by the observation filter in WebFlux services (the gateway) and by HTTP clients alike.
 */
public final class LogPaths {

    /** A path segment kept as is: a plain word, never something that may be an id. */
    private static final Pattern PLAIN_SEGMENT = Pattern.compile("[a-z.][a-z.-]{0,39}|v[0-9]|oauth2");

    private LogPaths() {
    }

    public static String masked(String uri) {
        if (uri == null || uri.isEmpty()) {
            return "/";
        }
        String path = uri.length() > 512 ? uri.substring(0, 512) : uri;
        StringJoiner masked = new StringJoiner("/");
        for (String segment : path.split("/", -1)) {
            masked.add(segment.isEmpty() || PLAIN_SEGMENT.matcher(segment).matches() ? segment : "{}");
        }
        return masked.toString();
    }
}
