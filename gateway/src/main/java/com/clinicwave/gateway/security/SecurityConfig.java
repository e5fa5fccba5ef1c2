package com.clinicwave.gateway.security;

import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.NegatedServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import com.clinicwave.gateway.edge.ManagementRequests;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/**
 * The gateway's one security filter chain: stateless bearer / API-key authentication through the validation cache on
 * every non-public path, coarse permission checks for the administration APIs, CORS for the SPAs, security headers,
 * and problem+json for every refusal. Services still validate the relayed JWT themselves.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfig {

    @Bean
    SecurityWebFilterChain gatewaySecurity(ServerHttpSecurity http, CredentialAuthenticationManager manager,
            ProblemSecurityHandlers handlers, CorsProperties cors, ManagementRequests management) {
        AuthenticationWebFilter authentication = new AuthenticationWebFilter(manager);
        authentication.setServerAuthenticationConverter(new Credentials());
        // Public paths are not checked at all: a token sent there is relayed untouched to the service.
        authentication.setRequiresAuthenticationMatcher(new NegatedServerWebExchangeMatcher(PublicPaths.MATCHER));
        authentication.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        authentication.setAuthenticationFailureHandler(handlers);
        authentication.setAuthenticationSuccessHandler((webFilterExchange, auth) -> {
            if (auth instanceof CredentialAuthenticationManager.VerifiedAuthentication verified) {
                webFilterExchange.getExchange().getAttributes().put(AuthenticatedCaller.ATTRIBUTE,
                        verified.verified());
            }
            return webFilterExchange.getChain().filter(webFilterExchange.getExchange());
        });

        // The actuator port is not public (never routed, not exposed): this chain guards the public listener only.
        http.securityMatcher(exchange -> management.isManagement(exchange)
                        ? ServerWebExchangeMatcher.MatchResult.notMatch()
                        : ServerWebExchangeMatcher.MatchResult.match())
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .cors(c -> c.configurationSource(corsSource(cors)))
                .headers(headers -> headers
                        .frameOptions(frame -> frame.mode(
                                org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter.Mode.DENY))
                        .referrerPolicy(referrer -> referrer.policy(
                                ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy.NO_REFERRER))
                        .hsts(hsts -> hsts.maxAge(java.time.Duration.ofDays(365)).includeSubdomains(true)))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(HttpMethod.OPTIONS).permitAll()
                        .matchers(PublicPaths.MATCHER).permitAll()
                        // Coarse checks at the edge; the services enforce the fine-grained rules themselves.
                        .pathMatchers("/api/v1/admin/**").hasAuthority("users:admin")
                        .pathMatchers("/api/admin/providers", "/api/admin/providers/**").hasAuthority("providers:admin")
                        .anyExchange().authenticated())
                .exceptionHandling(e -> e.authenticationEntryPoint(handlers).accessDeniedHandler(handlers))
                .addFilterAt(authentication, SecurityWebFiltersOrder.AUTHENTICATION);
        return http.build();
    }

    /**
     * No observation per security filter and per authorization decision: at the gateway's request rate they cost
     * more than the checks themselves; the request is still observed as a whole (http.server.requests, traces).
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    private static UrlBasedCorsConfigurationSource corsSource(CorsProperties properties) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!properties.allowedOrigins().isEmpty()) {
            CorsConfiguration config = new CorsConfiguration();
            config.setAllowedOrigins(properties.allowedOrigins());
            config.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
            config.setAllowedHeaders(List.of("Authorization", "Content-Type", "X-API-Key", "X-Request-Id",
                    "traceparent", "Accept"));
            config.setExposedHeaders(List.of("X-Request-Id", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining",
                    "RateLimit-Reset", "WWW-Authenticate", "Location"));
            config.setAllowCredentials(true);
            config.setMaxAge(properties.maxAge());
            source.registerCorsConfiguration("/**", config);
        }
        return source;
    }
}
