package com.clinicwave.gateway.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * Spring's own web server is not the public listener (that is {@code DataPlane}): it serves the actuator on the
 * management port and the documentation UI on loopback, which the data plane routes to. Nothing there needs a
 * credential, so the filter chain only turns off what a browser-facing default would add.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class InternalSecurityConfig {

    @Bean
    SecurityWebFilterChain internalServer(ServerHttpSecurity http) {
        return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
                .build();
    }

    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }
}
