package com.clinicwave.auth.admin.clients;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which redirect URIs a tenant may register. Every URI is matched exactly by the authorization server (the only
 * variance: the port of a loopback IP literal, RFC 8252 §7.3), so what is checked here is what is allowed at all:
 * <ul>
 * <li>SPA: {@code https} with a host; {@code http} only on {@code localhost}, {@code 127.0.0.1} or {@code [::1]}
 * (development).</li>
 * <li>Native (RFC 8252): a private-use scheme in reverse-domain form ({@code com.example.app:/callback}, §7.1: one slash,
 * no authority), a loopback IP literal over {@code http} without a port ({@code http://127.0.0.1/callback},
 * {@code http://[::1]/callback}, §7.3 — any port is accepted at run time), or a claimed {@code https} URI (§7.2);
 * {@code localhost} is refused (§8.3).</li>
 * </ul>
 * Never: a fragment, user info, a wildcard, a relative URI, {@code javascript:}/{@code data:}-like schemes, more
 * than 500 characters.
 */
public final class RedirectUris {

    private static final Set<String> DEV_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final Set<String> LOOPBACK_IPS = Set.of("127.0.0.1", "[::1]");
    private static final Set<String> FORBIDDEN_SCHEMES = Set.of("javascript", "data", "file", "vbscript", "about",
            "blob", "ftp", "ws", "wss");

    private RedirectUris() {
    }

    /** Why the URI may not be registered for a browser app, or empty when it may. */
    public static Optional<String> spaProblem(String value) {
        Optional<URI> parsed = parse(value);
        if (parsed.isEmpty()) {
            return Optional.of("not an absolute URI without fragment, user info or wildcard");
        }
        URI uri = parsed.get();
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (host == null || host.isEmpty()) {
            return Optional.of("needs a host");
        }
        if ("https".equals(scheme) || "http".equals(scheme) && DEV_HOSTS.contains(host)) {
            return Optional.empty();
        }
        return Optional.of("https only (http only on localhost, 127.0.0.1 or [::1])");
    }

    /** Why the URI may not be registered for a native app (RFC 8252), or empty when it may. */
    public static Optional<String> nativeProblem(String value) {
        Optional<URI> parsed = parse(value);
        if (parsed.isEmpty()) {
            return Optional.of("not an absolute URI without fragment, user info or wildcard");
        }
        URI uri = parsed.get();
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if ("https".equals(scheme)) {
            return uri.getHost() == null || uri.getHost().isEmpty() ? Optional.of("needs a host") : Optional.empty();
        }
        if ("http".equals(scheme)) {
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            if ("localhost".equals(host)) {
                return Optional.of("use the loopback IP literal 127.0.0.1 or [::1], not localhost (RFC 8252 §8.3)");
            }
            if (!LOOPBACK_IPS.contains(host)) {
                return Optional.of("http only on a loopback IP literal (RFC 8252 §7.3)");
            }
            if (uri.getPort() != -1) {
                return Optional.of("register a loopback redirect without a port: any port is accepted at run time");
            }
            return Optional.empty();
        }
        // Private-use URI scheme (§7.1): reverse domain name, "scheme:/path" with no authority.
        if (!scheme.contains(".") || !scheme.matches("[a-z][a-z0-9+.-]*")) {
            return Optional.of("a private-use scheme must be a reverse domain name such as com.example.app (RFC 8252 §7.1)");
        }
        String rest = value.substring(value.indexOf(':') + 1);
        if (!rest.startsWith("/") || rest.startsWith("//")) {
            return Optional.of("a private-use scheme URI has the form com.example.app:/path (one slash, RFC 8252 §7.1.1)");
        }
        return Optional.empty();
    }

    private static Optional<URI> parse(String value) {
        if (value == null || value.isBlank() || value.length() > 500 || value.contains("*") || value.contains("#")
                || value.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value);
            if (!uri.isAbsolute() || uri.getRawUserInfo() != null || uri.getRawFragment() != null
                    || FORBIDDEN_SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
                return Optional.empty();
            }
            if (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
