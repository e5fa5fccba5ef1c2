package com.clinicwave.gateway.edge;

import java.net.InetSocketAddress;
import org.springframework.web.server.ServerWebExchange;

/** The client's IP address as {@link EdgeWebFilter} established it (the peer, or what trusted proxies name). */
public final class ClientAddress {

    static final String ATTRIBUTE = ClientAddress.class.getName();

    private ClientAddress() {
    }

    public static String of(ServerWebExchange exchange) {
        String address = exchange.getAttribute(ATTRIBUTE);
        return address != null ? address : peer(exchange);
    }

    static String peer(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        if (remote == null) {
            return "unknown";
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }
}
