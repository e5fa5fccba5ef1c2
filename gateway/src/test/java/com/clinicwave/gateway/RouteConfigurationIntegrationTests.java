package com.clinicwave.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.gateway.event.RefreshRoutesEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Adding a route is a configuration change only: the route list of deploy/config-repo/gateway.yml plus one new route
 * (Spring Cloud Gateway's own keys, as a team would add it to the shared configuration) is applied to the running
 * gateway the way a config-server refresh applies it (an environment change, then a route refresh) — no code, no
 * restart — and the new path is routed, authenticated and limited like every other.
 */
class RouteConfigurationIntegrationTests extends GatewayTestSupport {

    private static final String ROUTES = "spring.cloud.gateway.server.webflux.routes";
    private static final Pattern INDEX = Pattern.compile(Pattern.quote(ROUTES) + "\\[(\\d+)]\\..*");

    @Autowired
    WebTestClient client;

    @Autowired
    ConfigurableApplicationContext context;

    @Test
    void aRouteAddedToTheConfigurationIsServedWithoutAnyCode() throws IOException {
        String token = userToken();
        client.get().uri("/api/reports/monthly").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");

        MapPropertySource changed = withRoute("claims-reports", "/api/reports/**", 20000, "claims-service");
        try {
            apply(changed);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    client.get().uri("/api/reports/monthly").headers(h -> h.setBearerAuth(token)).exchange()
                            .expectStatus().isOk());
            assertThat(SERVICES.last().path()).isEqualTo("/api/reports/monthly");
            assertThat(SERVICES.last().headers().getFirst("Authorization")).isEqualTo("Bearer " + token);
            // The new route gets the default filters like every route: authentication, limits, security headers.
            client.get().uri("/api/reports/monthly").exchange()
                    .expectStatus().isUnauthorized()
                    .expectBody().jsonPath("$.code").isEqualTo("UNAUTHENTICATED");
            client.get().uri("/api/reports/monthly").headers(h -> h.setBearerAuth(token)).exchange()
                    .expectHeader().exists("RateLimit-Remaining")
                    .expectHeader().valueEquals("X-Frame-Options", "DENY");
        } finally {
            context.getEnvironment().getPropertySources().remove(changed.getName());
            refresh(changed.getPropertyNames());
        }
    }

    @Test
    void aServiceSlowerThanItsRoutesResponseTimeoutIsAnUpstreamProblem() throws IOException {
        String token = userToken();
        // Answers long after the route's response timeout (300 ms) has elapsed.
        SERVICES.on("/api/slow-reports", exchange -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return StubServer.Answer.json(200, "{\"late\":true}");
        });
        // Its own circuit breaker (the default configuration): the timeouts must not open claims-service's.
        MapPropertySource changed = withRoute("claims-slow-reports", "/api/slow-reports/**", 300, "slow-reports");
        try {
            apply(changed);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    client.get().uri("/api/slow-reports/monthly").headers(h -> h.setBearerAuth(token)).exchange()
                            .expectStatus().isEqualTo(503)
                            .expectHeader().contentType("application/problem+json")
                            .expectHeader().valueEquals("Retry-After", "5")
                            .expectBody().jsonPath("$.code").isEqualTo("UPSTREAM_UNAVAILABLE")
                            .jsonPath("$.trace_id").isNotEmpty());
        } finally {
            context.getEnvironment().getPropertySources().remove(changed.getName());
            refresh(changed.getPropertyNames());
        }
    }

    /** gateway.yml's routes plus one to claims-service, as a team adds it: path, circuit breaker, response timeout. */
    private static MapPropertySource withRoute(String id, String path, int responseTimeoutMillis, String circuitBreaker)
            throws IOException {
        Map<String, Object> routes = configuredRoutes();
        int next = routes.keySet().stream().map(INDEX::matcher).filter(Matcher::matches)
                .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow() + 1;
        String route = ROUTES + "[" + next + "].";
        routes.put(route + "id", id);
        routes.put(route + "uri", "lb://claims-service");
        routes.put(route + "predicates[0]", "Path=" + path);
        routes.put(route + "filters[0]", "CircuitBreaker=" + circuitBreaker);
        routes.put(route + "metadata.response-timeout", String.valueOf(responseTimeoutMillis));
        return new MapPropertySource("gateway-yml-with-route-" + id, routes);
    }

    /** The routes as deploy/config-repo/gateway.yml has them (a list is bound from one property source only). */
    private static Map<String, Object> configuredRoutes() throws IOException {
        Path file = null;
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("deploy/config-repo/gateway.yml"))) {
                file = dir.resolve("deploy/config-repo/gateway.yml");
                break;
            }
        }
        assertThat(file).as("deploy/config-repo/gateway.yml").isNotNull();
        Map<String, Object> routes = new LinkedHashMap<>();
        for (PropertySource<?> source : new YamlPropertySourceLoader().load("gateway.yml", new FileSystemResource(file))) {
            for (String name : ((EnumerablePropertySource<?>) source).getPropertyNames()) {
                if (name.startsWith(ROUTES + "[")) {
                    routes.put(name, String.valueOf(source.getProperty(name)));
                }
            }
        }
        return routes;
    }

    private void apply(MapPropertySource changed) {
        context.getEnvironment().getPropertySources().addFirst(changed);
        refresh(changed.getPropertyNames());
    }

    /** What a config-server refresh does: rebind the changed configuration, then reload the routes. */
    private void refresh(String[] keys) {
        context.publishEvent(new EnvironmentChangeEvent(context, java.util.Set.of(keys)));
        context.publishEvent(new RefreshRoutesEvent(this));
    }
}
