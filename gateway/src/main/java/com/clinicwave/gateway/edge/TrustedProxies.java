package com.clinicwave.gateway.edge;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The proxies in front of the gateway whose forwarding headers are believed, as addresses or CIDR ranges
 * ({@code 10.0.0.0/8}, {@code fd00::/8}, {@code 192.168.1.7}). The client address is the right-most
 * {@code X-Forwarded-For} entry that is not itself a trusted proxy, walking left only through trusted hops: a client
 * cannot choose its own address by prepending entries, and behind a Kubernetes ingress every client keeps its own.
 */
public final class TrustedProxies {

    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges = new ArrayList<>();

    public TrustedProxies(List<String> entries) {
        for (String entry : entries) {
            String value = entry.strip();
            if (value.isEmpty()) {
                continue;
            }
            int slash = value.indexOf('/');
            byte[] network = literal(slash < 0 ? value : value.substring(0, slash));
            if (network == null) {
                throw new IllegalArgumentException("clinicwave.gateway.edge.trusted-proxies: not an address or CIDR "
                        + "range: " + value);
            }
            int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(value.substring(slash + 1));
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("clinicwave.gateway.edge.trusted-proxies: bad prefix in " + value);
            }
            ranges.add(new Range(network, prefix));
        }
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public boolean isTrusted(@Nullable InetAddress address) {
        return address != null && contains(address.getAddress());
    }

    private boolean contains(byte[] address) {
        for (Range range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client's address: the peer when it is not a trusted proxy; else the right-most {@code X-Forwarded-For}
     * entry that is not a trusted proxy (the left-most when all are), never an entry left of an untrusted one.
     */
    public String clientAddress(String peer, @Nullable InetAddress peerAddress, @Nullable String forwardedFor) {
        if (!isTrusted(peerAddress) || forwardedFor == null || forwardedFor.isBlank()) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        String client = peer;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            byte[] address = literal(hop);
            if (address == null) {
                // Not an address (garbage, "unknown", an obfuscated id): the last trusted hop is the best we know.
                return client;
            }
            client = hop;
            if (!contains(address)) {
                return hop;
            }
        }
        return client;
    }

    /** An IPv4 or IPv6 literal as bytes, without any name lookup; {@code null} if the text is not one. */
    static byte @Nullable [] literal(String text) {
        if (text.isEmpty() || text.length() > 45) {
            return null;
        }
        boolean colon = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ':') {
                colon = true;
            } else if (!(c >= '0' && c <= '9' || c == '.' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return null;
            }
        }
        if (!colon && text.chars().anyMatch(Character::isLetter)) {
            return null;
        }
        try {
            // A literal: getByName parses it and never resolves a name.
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
