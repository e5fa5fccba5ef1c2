package com.clinicwave.connections.security;

import com.clinicwave.platform.security.ClinicWaveJwtAuthorities;
import com.clinicwave.platform.security.ServletProblemSecurityHandlers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The one filter chain: a stateless resource server on ClinicWave access tokens (platform decoder), permissions
 * per path, problem+json for 401/403.
 */
@Configuration(proxyBeanMethods = false)
class ResourceServerSecurityConfig {

    /** The platform-level permission over the provider catalog; no tenant role may hold it. */
    static final String PLATFORM_PROVIDERS_ADMIN = "providers:platform-admin";

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ServletProblemSecurityHandlers problems) throws Exception {
        http
                .csrf(csrf -> csrf.disable()) // bearer tokens only, no cookies
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth
                        // The catalog is public: the connect screen shows it before anyone chooses.
                        .requestMatchers(HttpMethod.GET, "/api/providers", "/api/providers/**").permitAll()
                        // The provider redirects the browser here. Without the initiator's bearer or session token
                        // it completes nothing (OAuthFlowService.callback), so it can be public.
                        .requestMatchers(HttpMethod.GET, "/api/oauth/callback").permitAll()
                        // Providers fetch our client-assertion keys to verify private_key_jwt.
                        .requestMatchers(HttpMethod.GET, "/api/oauth/jwks").permitAll()
                        // Aggregated by the gateway's API docs; health for the platform's probes.
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/actuator/health/**",
                                "/actuator/health", "/actuator/info", "/actuator/prometheus", "/error").permitAll()
                        .requestMatchers("/internal/**").hasAuthority("SCOPE_connections:token")
                        // The catalog is shared by every tenant (its token URLs receive codes and client secrets): only a
                        // platform administrator changes or reads its configuration, never a tenant admin.
                        .requestMatchers("/api/admin/providers/**", "/api/admin/providers")
                        .hasAuthority(PLATFORM_PROVIDERS_ADMIN)
                        // Re-encryption rewrites every tenant's connection tokens and the catalog's secrets under
                        // the platform's keys: a platform operation, not a tenant admin's.
                        .requestMatchers("/api/admin/connections/**").hasAuthority(PLATFORM_PROVIDERS_ADMIN)
                        .requestMatchers(HttpMethod.POST, "/api/oauth/initiate", "/api/oauth/complete",
                                "/api/oauth/token/refresh")
                        .hasAnyAuthority("connections:write", "connections:admin")
                        .requestMatchers(HttpMethod.GET, "/api/connections", "/api/connections/**")
                        .hasAnyAuthority("connections:read", "connections:admin")
                        .requestMatchers(HttpMethod.DELETE, "/api/connections/**")
                        .hasAnyAuthority("connections:write", "connections:admin")
                        .anyRequest().denyAll())
                .oauth2ResourceServer(rs -> rs
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(new ClinicWaveJwtAuthorities()))
                        .authenticationEntryPoint(problems.authenticationEntryPoint())
                        .accessDeniedHandler(problems.accessDeniedHandler()))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems.authenticationEntryPoint())
                        .accessDeniedHandler(problems.accessDeniedHandler()));
        return http.build();
    }
}
