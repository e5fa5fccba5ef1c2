package com.clinicwave.gateway.security;

import java.util.List;

/**
 * The few path patterns routes and access rules need, matched without allocation: exact paths, {@code *} for exactly
 * one segment, and a trailing {@code /**} for the path itself and everything below it.
 */
final class PathPatterns {

    private final String[][] patterns;

    PathPatterns(List<String> patterns) {
        this.patterns = patterns.stream().map(p -> p.substring(1).split("/", -1)).toArray(String[][]::new);
        for (String pattern : patterns) {
            if (!pattern.startsWith("/") || pattern.indexOf("**") >= 0 && !pattern.endsWith("/**")) {
                throw new IllegalArgumentException("Unsupported path pattern " + pattern);
            }
        }
    }

    boolean matches(String path) {
        for (String[] pattern : patterns) {
            if (matches(pattern, path)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String[] segments, String path) {
        int pos = 1; // after the leading '/'
        int length = path.length();
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.equals("**") && i == segments.length - 1) {
                return true;
            }
            if (pos > length) {
                // "/a/**" also matches "/a": handled by the caller reaching "**" with nothing left.
                return i == segments.length - 1 && segments[i].equals("**");
            }
            int end = path.indexOf('/', pos);
            if (end < 0) {
                end = length;
            }
            if (segment.equals("*")) {
                if (end == pos) {
                    return false;
                }
            } else if (end - pos != segment.length() || !path.regionMatches(pos, segment, 0, segment.length())) {
                return false;
            }
            if (end == length) {
                // The path is used up: it matches if the pattern is too, or only "/**" is left.
                return i == segments.length - 1 || (i == segments.length - 2 && segments[i + 1].equals("**"));
            }
            pos = end + 1;
        }
        return false;
    }
}
