package com.clinicwave.auth.security;

import com.clinicwave.auth.federation.FederationLoginSupport;
import com.clinicwave.auth.login.page.FormLoginProvider;
import com.clinicwave.auth.login.page.SessionExpiredHandler;
import com.clinicwave.auth.login.page.TenantAuthenticationDetails;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.ExceptionMappingAuthenticationFailureHandler;

/**
 * Browser side of the authorization server: the login page and its SSO session (the HTTP session), logout,
 * federation through external OIDC providers, and the public operational endpoints.
 */
@Configuration(proxyBeanMethods = false)
class WebSecurityConfig {

    @Bean
    @Order(10)
    SecurityFilterChain webChain(HttpSecurity http, FormLoginProvider formLogin,
            FederationLoginSupport federation, SessionExpiredHandler sessionExpired) throws Exception {
        http.authorizeHttpRequests(authorize -> authorize
                        // Health and metrics for the platform; the login page must be reachable signed out.
                        .requestMatchers("/actuator/health/**", "/actuator/info", "/actuator/prometheus", "/login", "/login/assets/**",
                                "/error", "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html").permitAll()
                        .anyRequest().authenticated())
                .authenticationProvider(formLogin)
                .formLogin(form -> form.loginPage("/login").authenticationDetailsSource(TenantAuthenticationDetails::new)
                        .failureHandler(loginFailures())
                        .permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                .exceptionHandling(handling -> handling.accessDeniedHandler(sessionExpired));
        federation.configure(http);
        return http.build();
    }

    /** Back to the sign-in page: {@code ?error}, or {@code ?error=busy} when no password-hashing slot was free. */
    private static AuthenticationFailureHandler loginFailures() {
        ExceptionMappingAuthenticationFailureHandler handler = new ExceptionMappingAuthenticationFailureHandler();
        handler.setDefaultFailureUrl("/login?error");
        handler.setExceptionMappings(Map.of(FormLoginProvider.HashingBusy.class.getName(),
                "/login?error=" + FormLoginProvider.BUSY_ERROR));
        return handler;
    }

    /**
     * No Micrometer observation per security filter and per authentication (a tenth of the CPU of a token or
     * introspection request in the profile); requests are still measured as a whole (http.server.requests) and traced.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }
}
