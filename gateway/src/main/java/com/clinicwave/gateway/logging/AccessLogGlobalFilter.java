package com.clinicwave.gateway.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import io.micrometer.tracing.TraceContext;
import com.clinicwave.gateway.problem.TraceIds;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * One log line per routed request (method, path, route, status, duration) with the trace and span ids, taken from
 * the exchange's observation (the gateway does not pay for automatic thread-local propagation). No query strings or headers: they may hold tokens.
 */
@Component
class AccessLogGlobalFilter implements GlobalFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger("clinicwave.access");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        long start = System.nanoTime();
        return chain.filter(exchange).doFinally(signal -> {
            if (!log.isInfoEnabled()) {
                return;
            }
            Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
            HttpStatusCode status = exchange.getResponse().getStatusCode();
            TraceContext trace = TraceIds.of(exchange);
            if (trace != null) {
                MDC.put("traceId", trace.traceId());
                MDC.put("spanId", trace.spanId());
            }
            try {
                log.info("{} {} route={} {} {}ms", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                        route == null ? "-" : route.getId(), status == null ? "-" : status.value(),
                        (System.nanoTime() - start) / 1_000_000);
            } finally {
                if (trace != null) {
                    MDC.remove("traceId");
                    MDC.remove("spanId");
                }
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
