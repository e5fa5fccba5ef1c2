package com.clinicwave.gateway.resilience;

import com.clinicwave.gateway.problem.GatewayProblems;
import com.clinicwave.platform.web.ProblemCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Where a route's circuit breaker sends a request its service cannot answer (down, timing out, circuit open): a fast
 * 503 {@code UPSTREAM_UNAVAILABLE} problem with {@code Retry-After}, never a hang or an HTML page.
 */
@Configuration(proxyBeanMethods = false)
class UpstreamFallback {

    static final String PATH = "/fallback/upstream-unavailable";
    private static final Logger log = LoggerFactory.getLogger(UpstreamFallback.class);

    @Bean
    RouterFunction<ServerResponse> upstreamUnavailable(GatewayProblems problems) {
        return RouterFunctions.route().route(request -> request.path().equals(PATH), request -> {
            Throwable cause = request.exchange().getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
            log.warn("Upstream unavailable: {}", cause == null ? "-" : cause.toString());
            return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .header(HttpHeaders.RETRY_AFTER, "5")
                    .header(HttpHeaders.CACHE_CONTROL, "no-store")
                    .bodyValue(problems.body(request.exchange(), HttpStatus.SERVICE_UNAVAILABLE,
                            ProblemCodes.UPSTREAM_UNAVAILABLE,
                            "The service is temporarily unavailable, please retry later"));
        }).build();
    }
}
