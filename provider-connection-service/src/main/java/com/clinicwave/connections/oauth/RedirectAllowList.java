package com.clinicwave.connections.oauth;

import com.clinicwave.connections.config.ConnectionsProperties;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Where the browser may be sent after the callback: exact URLs, or (entries ending with '/') every URL under that
 * origin and path; a mobile app's private-use scheme only as an exact entry. Origins compare exactly (scheme, host, port); URLs with user info or a fragment, relative URLs
 * and path tricks ({@code ..}, encoded slashes) are refused, so the callback is never an open redirector.
 */
@Component
class RedirectAllowList {

    private final List<String> entries;

    RedirectAllowList(ConnectionsProperties properties) {
        this.entries = properties.redirectAllowList();
    }

    boolean allows(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return false;
        }
        if (!uri.isAbsolute() || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return false;
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            // An app's private-use scheme (RFC 8252 §7.1, e.g. com.clinicwave.companion:/connect): exact entries only.
            return !uri.isOpaque() && uri.getRawQuery() == null && entries.contains(url);
        }
        if (uri.getHost() == null) {
            return false;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.contains("..") || path.toLowerCase().contains("%2f") || path.contains("\\")
                || path.toLowerCase().contains("%5c")) {
            return false;
        }
        for (String entry : entries) {
            if (entry.endsWith("/") && entry.startsWith("http") ? matchesPrefix(uri, entry) : url.equals(entry)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesPrefix(URI uri, String entry) {
        URI allowed = URI.create(entry);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return allowed.getScheme().equals(uri.getScheme()) && allowed.getHost().equalsIgnoreCase(uri.getHost())
                && port(allowed) == port(uri) && path.startsWith(allowed.getRawPath());
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) ? 443 : 80;
    }
}
