package com.clinicwave.auth.security;

import com.clinicwave.platform.security.ServletProblemSecurityHandlers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Service-to-service endpoints ({@code /internal/**}, never routed by the gateway): HTTP Basic with an OAuth client's
 * id and secret; the client's registered scopes become {@code SCOPE_} authorities. A request carrying the gateway's
 * {@code X-ClinicWave-Edge} header is refused (403) before any credential is checked.
 */
@Configuration(proxyBeanMethods = false)
class InternalSecurityConfig {

    /** The header the gateway sets on everything it forwards (InternalClients.EDGE_HEADER). */
    private static final String EDGE_HEADER = "X-ClinicWave-Edge";

    @Bean
    @Order(3)
    SecurityFilterChain internalChain(HttpSecurity http, ServletProblemSecurityHandlers handlers,
            RegisteredClientRepository clients, PasswordEncoder passwords) throws Exception {
        http.securityMatcher("/internal/**")
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authenticationManager(new ProviderManager(clientSecretProvider(clients, passwords)))
                .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint(handlers.authenticationEntryPoint()))
                .exceptionHandling(e -> e.authenticationEntryPoint(handlers.authenticationEntryPoint())
                        .accessDeniedHandler(handlers.accessDeniedHandler()))
                // Never routed by the gateway; should a route ever forward it (X-ClinicWave-Edge), it is refused.
                .addFilterBefore((request, response, chain) -> {
                    if (((HttpServletRequest) request).getHeader(EDGE_HEADER) != null) {
                        handlers.accessDeniedHandler().handle((HttpServletRequest) request,
                                (HttpServletResponse) response,
                                new org.springframework.security.access.AccessDeniedException("Not from the edge"));
                        return;
                    }
                    chain.doFilter(request, response);
                }, BasicAuthenticationFilter.class);
        return http.build();
    }

    private static AuthenticationProvider clientSecretProvider(RegisteredClientRepository clients,
            PasswordEncoder passwords) {
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                RegisteredClient client = clients.findByClientId(authentication.getName());
                String secret = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
                if (client == null || client.getClientSecret() == null
                        || !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                        || !passwords.matches(secret, client.getClientSecret())) {
                    throw new BadCredentialsException("Bad client credentials");
                }
                List<SimpleGrantedAuthority> authorities = client.getScopes().stream()
                        .map(s -> new SimpleGrantedAuthority("SCOPE_" + s)).toList();
                return UsernamePasswordAuthenticationToken.authenticated(client.getClientId(), null, authorities);
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
            }
        };
    }
}
