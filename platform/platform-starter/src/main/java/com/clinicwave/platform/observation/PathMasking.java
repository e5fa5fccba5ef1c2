package com.clinicwave.platform.observation;

import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Masks every path segment that is not a plain lower-case word as {@code {}} (ids, emails, tokens never reach a log
 * line or a span). Free of the servlet API: the reactive gateway uses it through {@link PhiSafeObservationFilter}
 * (loading the servlet {@code AccessLogFilter} there failed with {@code NoClassDefFoundError: jakarta/servlet/Filter}
 * in every observed Eureka client call, which stopped the gateway's registry refresh).
 */
public final class PathMasking {

    private static final Pattern PLAIN_SEGMENT = Pattern.compile("[a-z.][a-z.-]{0,39}|v[0-9]|oauth2");

    private PathMasking() {
    }

    public static String maskedPath(String uri) {
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
