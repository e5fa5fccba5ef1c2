package com.clinicwave.gateway.docs;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The one API documentation UI at the gateway: Swagger UI (from its webjar) listing every service's OpenAPI document,
 * which the data plane routes to the service ({@code /v3/api-docs/<service>}). Served by the gateway's internal web
 * server, behind the data plane's {@code gateway-docs-ui} route.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DocumentationUi.Services.class)
class DocumentationUi {

    /** The services whose documents the UI lists ({@code clinicwave.gateway.api-docs.services}). */
    @ConfigurationProperties("clinicwave.gateway.api-docs")
    record Services(@DefaultValue({"auth-service", "provider-connection-service", "athena-service", "claims-service"})
            List<String> services) {
    }

    private static final String INITIALIZER = """
            window.onload = function () {
              window.ui = SwaggerUIBundle({
                configUrl: "/v3/api-docs/swagger-config",
                dom_id: "#swagger-ui",
                deepLinking: true,
                presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
                plugins: [SwaggerUIBundle.plugins.DownloadUrl],
                layout: "StandaloneLayout"
              });
            };
            """;

    @Bean
    RouterFunction<ServerResponse> documentationUiRoutes(Services services) throws IOException {
        Resource webjar = swaggerUiWebjar();
        Map<String, Object> config = Map.of("urls", services.services().stream()
                .map(name -> Map.of("name", name, "url", "/v3/api-docs/" + name)).toList(),
                "validatorUrl", "");
        return RouterFunctions.route()
                .GET("/v3/api-docs/swagger-config", request -> ServerResponse.ok()
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(config))
                .GET("/swagger-ui.html", request -> ServerResponse.status(HttpStatus.FOUND)
                        .location(URI.create("/swagger-ui/index.html")).build())
                .GET("/swagger-ui/swagger-initializer.js", request -> ServerResponse.ok()
                        .contentType(MediaType.valueOf("application/javascript"))
                        .cacheControl(CacheControl.noCache()).bodyValue(INITIALIZER))
                .add(RouterFunctions.resources("/swagger-ui/**", webjar))
                .add(RouterFunctions.resources("/webjars/swagger-ui/**", webjar))
                .build();
    }

    /** The webjar's versioned directory, whatever version the build brought. */
    private static Resource swaggerUiWebjar() throws IOException {
        Resource[] found = new PathMatchingResourcePatternResolver()
                .getResources("classpath*:META-INF/resources/webjars/swagger-ui/*/index.html");
        if (found.length == 0) {
            throw new IllegalStateException("The swagger-ui webjar is not on the classpath");
        }
        return found[0].createRelative("./");
    }
}
