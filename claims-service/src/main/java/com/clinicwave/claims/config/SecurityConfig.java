package com.clinicwave.claims.config;

import com.clinicwave.platform.security.ClinicWaveJwtAuthorities;
import com.clinicwave.platform.security.ServletProblemSecurityHandlers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/** The resource-server chain: every API call carries a ClinicWave access token with the right permission. */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ServletProblemSecurityHandlers problems) throws Exception {
        http
                .csrf(csrf -> csrf.disable()) // bearer tokens only, no cookies: nothing for CSRF to ride on
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth
                        // Probes and scrapes come from the platform (kubelet, Prometheus), not from users.
                        .requestMatchers("/actuator/health/**", "/actuator/info", "/actuator/prometheus").permitAll()
                        // The OpenAPI description is public documentation, aggregated by the gateway.
                        .requestMatchers("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html").permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/connections/*/claims", "/api/syncs/*")
                        .hasAuthority("claims:read")
                        .requestMatchers(HttpMethod.POST, "/api/connections/*/sync").hasAuthority("claims:sync")
                        .requestMatchers(HttpMethod.PATCH, "/api/claims/*/verification").hasAuthority("claims:verify")
                        // The error page renders problems for requests already authorised above.
                        .requestMatchers("/error").permitAll()
                        .anyRequest().denyAll())
                .oauth2ResourceServer(rs -> rs
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(new ClinicWaveJwtAuthorities()))
                        .authenticationEntryPoint(problems.authenticationEntryPoint()))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint(problems.authenticationEntryPoint())
                        .accessDeniedHandler(problems.accessDeniedHandler()));
        return http.build();
    }
}
