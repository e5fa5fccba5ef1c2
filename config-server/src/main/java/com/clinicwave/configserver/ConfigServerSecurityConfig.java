package com.clinicwave.configserver;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/** Configuration (and the secrets decrypted into it) only for callers with the config credentials. */
@Configuration(proxyBeanMethods = false)
class ConfigServerSecurityConfig {

    @Bean
    SecurityFilterChain configServerSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(auth -> auth
                        // Liveness/readiness probes and the Prometheus scrape carry no credentials.
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info",
                                "/actuator/prometheus").permitAll()
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                // Machine clients only (config clients, /encrypt from operators' scripts): no browser session.
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }
}
