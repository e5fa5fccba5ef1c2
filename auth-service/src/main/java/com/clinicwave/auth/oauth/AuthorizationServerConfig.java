package com.clinicwave.auth.oauth;

import com.clinicwave.auth.audit.AuditLog;
import com.clinicwave.auth.config.AuthProperties;
import com.clinicwave.auth.events.AuthEvents;
import com.clinicwave.auth.keys.SigningKeys;
import com.clinicwave.auth.tenant.TenantRepository;
import com.clinicwave.auth.token.AccessTokens;
import com.clinicwave.auth.token.RevokedTokens;
import com.clinicwave.auth.user.UserRepository;
import com.clinicwave.platform.security.JwtProperties;
import com.clinicwave.platform.security.ResourceServerAutoConfiguration;
import com.clinicwave.platform.security.VerifiedJwtCache;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The OAuth 2.1 / OpenID Connect protocol endpoints (Spring Authorization Server) with the issuer fixed to the
 * public gateway URL, clients and authorizations in PostgreSQL, keys from {@link SigningKeys}, refresh tokens for
 * public clients with rotation and reuse detection, and the ClinicWave claims.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfig {

    /** Protocol endpoints first; browsers without a session are sent to the login page. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain authorizationServerChain(HttpSecurity http, RegisteredClientRepository clients,
            OAuth2AuthorizationService authorizations, AuthEvents events, RevokedTokens revoked,
            AuthProperties properties, SigningKeys keys, AuditLog audit, TenantRepository tenants,
            @Value("${clinicwave.public-base-url}") String issuer) throws Exception {
        // Introspection and revocation know every token this service issues: public and internal audiences.
        JwtDecoder jwtDecoder = decoder(keys, revoked, issuer, AccessTokens.AUDIENCE, InternalClients.AUDIENCE);
        AuthorizationServerSettings endpoints = authorizationServerSettings(issuer);
        RequestMatcher clientEndpoints = new OrRequestMatcher(
                PathPatternRequestMatcher.withDefaults().matcher(endpoints.getTokenEndpoint()),
                PathPatternRequestMatcher.withDefaults().matcher(endpoints.getTokenIntrospectionEndpoint()),
                PathPatternRequestMatcher.withDefaults().matcher(endpoints.getTokenRevocationEndpoint()));
        DefaultBearerTokenResolver bearerTokens = new DefaultBearerTokenResolver();
        http.oauth2AuthorizationServer(as -> {
            http.securityMatcher(as.getEndpointsMatcher());
            as.oidc(Customizer.withDefaults());
            OAuth2AccessTokenResponseAuthenticationSuccessHandler tokenResponses =
                    new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
            tokenResponses.setAccessTokenResponseCustomizer(new EffectiveScopesInTokenResponse());
            as.tokenEndpoint(token -> token.accessTokenResponseHandler(tokenResponses));
            as.tokenIntrospectionEndpoint(introspection -> introspection.authenticationProviders(
                    list -> list.add(0, new JwtIntrospectionProvider(jwtDecoder, tenants::isEnabled))));
            as.tokenRevocationEndpoint(revocation -> revocation
                    .authenticationProviders(list -> list.replaceAll(provider ->
                            provider instanceof OAuth2TokenRevocationAuthenticationProvider
                                    ? new StatelessTokenRevocationProvider(jwtDecoder, authorizations, revoked, events,
                                            provider)
                                    : provider))
                    .revocationResponseHandler(new RevocationEvents(authorizations, events, revoked, properties)));
            // A disabled client, or a client of a disabled tenant, gets no authorization code (400, no redirect).
            as.authorizationEndpoint(authorize -> authorize.authenticationProviders(list -> list.forEach(provider -> {
                if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codeRequests) {
                    codeRequests.setAuthenticationValidator(TenantClients.authorizationRequests(tenants::isEnabled));
                }
            })));
            as.clientAuthentication(ca -> ca
                    .authenticationConverters(list -> list.add(0, new PublicClientRefreshAuthentication.Converter()))
                    .authenticationProviders(list -> list.add(0, new PublicClientRefreshAuthentication.Provider(clients))));
        });
        // Only real browsers (asking for HTML, not */*) are sent to the login page; API clients get a 401.
        MediaTypeRequestMatcher browsers = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
        browsers.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        http.authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
                .exceptionHandling(e -> e
                        .defaultAuthenticationEntryPointFor(new ClientAuthenticationEntryPoint(), clientEndpoints)
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), browsers))
                // The userinfo endpoint takes the access token as a bearer token; a bearer sent to the token,
                // introspection or revocation endpoint means nothing there (it is not client authentication).
                .oauth2ResourceServer(rs -> rs.jwt(Customizer.withDefaults())
                        .bearerTokenResolver(request -> clientEndpoints.matches(request) ? null
                                : bearerTokens.resolve(request)))
                // Internal clients are refused when their request came through the public gateway: after client
                // authentication (which runs right after the pre-authentication filters), before the endpoints.
                .addFilterBefore(new InternalClientEdgeFilter(audit), AuthorizationFilter.class);
        return http.build();
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(@Value("${clinicwave.public-base-url}") String issuer) {
        return AuthorizationServerSettings.builder().issuer(issuer).build();
    }

    @Bean
    RegisteredClientRepository registeredClientRepository(JdbcTemplate jdbc, Clock clock) {
        return new CachingRegisteredClientRepository(new JdbcRegisteredClientRepository(jdbc), Duration.ofSeconds(30),
                clock);
    }

    @Bean
    OAuth2AuthorizationService authorizationService(JdbcTemplate jdbc, RegisteredClientRepository clients,
            StringRedisTemplate redis, AuthEvents events, RevokedTokens revoked, AuditLog audit,
            AuthProperties properties) {
        return new StatelessClientCredentialsAuthorizationService(new ReuseDetectingAuthorizationService(
                new HashedTokensAuthorizationService(new JdbcOAuth2AuthorizationService(jdbc, clients)), redis, events,
                revoked, audit, properties));
    }

    @Bean
    OAuth2AuthorizationConsentService authorizationConsentService(JdbcTemplate jdbc, RegisteredClientRepository clients) {
        return new JdbcOAuth2AuthorizationConsentService(jdbc, clients);
    }

    @Bean
    JwtEncoder jwtEncoder(SigningKeys keys) {
        return new NimbusJwtEncoder(keys);
    }

    /**
     * Validates this service's own tokens: signature, issuer, audience, time, and the revocation denylist. A token
     * that already passed the signature check is remembered for a few minutes (introspection of the same token
     * again costs no signature verification); time and revocation are checked on every use.
     */
    @Bean
    JwtDecoder jwtDecoder(SigningKeys keys, RevokedTokens revoked, @Value("${clinicwave.public-base-url}") String issuer) {
        // This service's own API (/api/**, userinfo) is public: internal tokens (clinicwave-internal) are refused.
        return decoder(keys, revoked, issuer, AccessTokens.AUDIENCE);
    }

    private static JwtDecoder decoder(SigningKeys keys, RevokedTokens revoked, String issuer, String... audiences) {
        NimbusJwtDecoder decoder = (NimbusJwtDecoder) OAuth2AuthorizationServerConfiguration.jwtDecoder(keys);
        Duration skew = Duration.ofSeconds(30);
        decoder.setJwtValidator(ResourceServerAutoConfiguration.validator(
                new JwtProperties(null, null, issuer, List.of(audiences), skew)));
        return new VerifiedJwtCache(decoder, new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(skew), revoked),
                4096, Duration.ofMinutes(5));
    }

    @Bean
    OAuth2TokenGenerator<?> tokenGenerator(JwtEncoder encoder, UserRepository users, SigningKeys keys,
            TenantRepository tenants, StringRedisTemplate redis, Clock clock) {
        JwtGenerator jwt = new JwtGenerator(encoder);
        jwt.setJwtCustomizer(new ClinicWaveTokenCustomizer(users, keys, tenants::isEnabled));
        return new DelegatingOAuth2TokenGenerator(jwt, new RotatingRefreshTokenGenerator(redis, clock));
    }
}
