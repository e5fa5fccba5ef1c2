package com.clinicwave.gateway.edge;

import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Tells requests on the actuator port (a child context with its own Netty server, never public) from public ones:
 * the gateway's WebFilters are inherited by that context, but the edge rules and the security chain are for the
 * public listener only.
 */
@Component
public class ManagementRequests {

    private final ApplicationContext gatewayContext;

    ManagementRequests(ApplicationContext gatewayContext) {
        this.gatewayContext = gatewayContext;
    }

    public boolean isManagement(ServerWebExchange exchange) {
        ApplicationContext context = exchange.getApplicationContext();
        return context != null && context != gatewayContext;
    }
}
