package com.clinicwave.athena.security;

import com.clinicwave.platform.security.ClinicWaveJwtAuthorities;
import com.clinicwave.platform.security.ServletProblemSecurityHandlers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/** The HTTP/JSON API: bearer tokens from auth-service only (users with athena:read, or services with an operation scope). */
@Configuration(proxyBeanMethods = false)
class ApiSecurityConfig {

    @Bean
    SecurityFilterChain apiSecurityFilterChain(HttpSecurity http, ServletProblemSecurityHandlers problems) {
        http.authorizeHttpRequests(requests -> requests
                        // Probes and metrics are scraped inside the platform network, never routed by the gateway.
                        .requestMatchers("/actuator/health/**", "/actuator/info", "/actuator/prometheus").permitAll()
                        // The API description is public so the gateway can aggregate it.
                        .requestMatchers("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html").permitAll()
                        // Problem rendering of errors raised before the controller.
                        .requestMatchers("/error").permitAll()
                        // Users with the permission, or services with an operation scope (checked per operation
                        // in ConnectionAccess).
                        .requestMatchers("/api/athena/**").hasAnyAuthority("athena:read", "SCOPE_athena:patient:read",
                                "SCOPE_athena:appointments:read", "SCOPE_athena:balance:read",
                                "SCOPE_athena:claims:read")
                        .anyRequest().denyAll())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(new ClinicWaveJwtAuthorities()))
                        .authenticationEntryPoint(problems.authenticationEntryPoint())
                        .accessDeniedHandler(problems.accessDeniedHandler()))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(problems.authenticationEntryPoint())
                        .accessDeniedHandler(problems.accessDeniedHandler()))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable);
        return http.build();
    }
}
