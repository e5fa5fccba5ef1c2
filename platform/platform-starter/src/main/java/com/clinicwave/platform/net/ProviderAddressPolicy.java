package com.clinicwave.platform.net;

import com.clinicwave.platform.web.ApiException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The SSRF policy: where provider URLs (token, revocation, authorization, FHIR, athenahealth API) may point. Shared by
 * provider-connection-service (catalog writes and OAuth calls), claims-service (FHIR calls) and athena-service
 * (athenahealth calls); a bean of {@link ProviderUrlsAutoConfiguration}. Outside the {@code local} profile a
 * provider URL must be {@code https} and its host must resolve only to public addresses: never loopback,
 * link-local (cloud metadata at 169.254.169.254), private, shared (CGNAT), multicast, reserved or documentation
 * ranges, in IPv4 or IPv6 (IPv4-mapped forms included). Checked when a URL is written and again on every
 * outbound call, where {@link #resolve} is the HTTP client's DNS resolver ({@link ProviderHttpClients}): the connection goes to exactly the
 * addresses that were checked, so a DNS answer that changes between check and connect (rebinding) gains nothing.
 */
public class ProviderAddressPolicy {

    public static final String NOT_HTTPS = "PROVIDER_URL_NOT_HTTPS";
    public static final String FORBIDDEN_ADDRESS = "PROVIDER_URL_FORBIDDEN_ADDRESS";
    public static final String UNRESOLVABLE = "PROVIDER_URL_UNRESOLVABLE";

    private static final List<IpAddressMatcher> FORBIDDEN = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
            "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/96", "::1/128", "64:ff9b:1::/48", "100::/64", "2001:db8::/32", "2002::/16",
            "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8")
            // (IPv4-mapped IPv6 addresses, ::ffff:a.b.c.d, arrive as IPv4 addresses: the IPv4 ranges cover them.)
            .stream().map(IpAddressMatcher::new).toList();

    /** A refused URL, with the stable problem code it answers. */
    public static final class RefusedUrlException extends RuntimeException {
        private final String code;

        public RefusedUrlException(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }

        public ApiException toProblem(String field) {
            return ApiException.badRequest(code, field + ": " + getMessage());
        }
    }

    /** Resolves host names; a seam for tests (real DNS in production). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean enforced;
    private final Resolver resolver;

    public ProviderAddressPolicy(boolean enforced, Resolver resolver) {
        this.enforced = enforced;
        this.resolver = resolver;
    }

    public boolean enforced() {
        return enforced;
    }

    /** Checks a URL: https, and a host resolving only to allowed addresses. Nothing when not enforced. */
    public void check(@Nullable String url) {
        if (url == null || url.isBlank() || !enforced) {
            return;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new RefusedUrlException(NOT_HTTPS, "not a valid URL");
        }
        if (!"https".equals(uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT))
                || uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new RefusedUrlException(NOT_HTTPS, "provider URLs must be https://host/… without user info");
        }
        resolve(uri.getHost());
    }

    /**
     * The host's addresses, all of them allowed, or a {@link RefusedUrlException}. When not enforced, plain
     * resolution.
     */
    public InetAddress[] resolve(String host) {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(name);
        } catch (UnknownHostException e) {
            throw new RefusedUrlException(UNRESOLVABLE, "the host does not resolve");
        }
        if (!enforced) {
            return addresses;
        }
        if (addresses.length == 0) {
            throw new RefusedUrlException(UNRESOLVABLE, "the host does not resolve");
        }
        for (InetAddress address : addresses) {
            if (forbidden(address)) {
                throw new RefusedUrlException(FORBIDDEN_ADDRESS,
                        "the host resolves to a loopback, link-local, private or reserved address");
            }
        }
        return addresses;
    }

    static boolean forbidden(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        String literal;
        try {
            // Without any IPv6 scope id; an IPv4-mapped IPv6 address comes back as its IPv4 address.
            literal = InetAddress.getByAddress(address.getAddress()).getHostAddress();
        } catch (UnknownHostException e) {
            return true;
        }
        for (IpAddressMatcher range : FORBIDDEN) {
            if (range.matches(literal)) {
                return true;
            }
        }
        return false;
    }
}
