package com.clinicwave.platform.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * The JWT decoder every ClinicWave resource server uses: asymmetric algorithms only (RS256, ES256 — never
 * {@code none} or HMAC), keys from auth-service's JWKS (refetched on an unknown {@code kid}), and issuer,
 * audience, expiry and not-before checked with a small skew. A token that verified is remembered for a few minutes
 * ({@link VerifiedJwtCache}), so a client calling with the same access token costs one signature check, not one per
 * request; its expiry and not-before are still checked on every request.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration")
@ConditionalOnClass({JwtDecoder.class, NimbusJwtDecoder.class})
@ConditionalOnExpression("'${clinicwave.security.jwt.jwk-set-uri:}' != '' or '${clinicwave.security.jwt.jwk-set:}' != ''")
@EnableConfigurationProperties(JwtProperties.class)
public class ResourceServerAutoConfiguration {

    static final int VERIFIED_CACHE_SIZE = 10_000;
    static final Duration VERIFIED_CACHE_TTL = Duration.ofMinutes(5);
    static final Set<SignatureAlgorithm> ALGORITHMS = Set.of(SignatureAlgorithm.RS256, SignatureAlgorithm.ES256);

    @Bean
    @ConditionalOnMissingBean(JwtDecoder.class)
    JwtDecoder clinicWaveJwtDecoder(JwtProperties properties) {
        NimbusJwtDecoder decoder;
        if (properties.jwkSet() != null && !properties.jwkSet().isBlank()) {
            decoder = new NimbusJwtDecoder(inlineProcessor(properties.jwkSet()));
        } else {
            decoder = NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri())
                    .jwsAlgorithms(algs -> algs.addAll(ALGORITHMS))
                    .build();
        }
        decoder.setJwtValidator(validator(properties));
        return new VerifiedJwtCache(decoder, new JwtTimestampValidator(properties.clockSkew()), VERIFIED_CACHE_SIZE,
                VERIFIED_CACHE_TTL);
    }

    public static OAuth2TokenValidator<Jwt> validator(JwtProperties properties) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtTimestampValidator(properties.clockSkew()));
        if (properties.issuer() != null && !properties.issuer().isBlank()) {
            validators.add(new JwtIssuerValidator(properties.issuer()));
        }
        List<String> audiences = properties.audiences();
        validators.add(jwt -> jwt.getAudience() != null && jwt.getAudience().stream().anyMatch(audiences::contains)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(
                        new OAuth2Error("invalid_token", "The token is not meant for this audience", null)));
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    private static DefaultJWTProcessor<SecurityContext> inlineProcessor(String jwkSetJson) {
        try {
            JWKSet jwkSet = JWKSet.parse(jwkSetJson);
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                    new ImmutableJWKSet<>(jwkSet)));
            processor.setJWTClaimsSetVerifier((claims, context) -> {
                // Claims are checked by the Spring validators set on the decoder.
            });
            return processor;
        } catch (ParseException e) {
            throw new IllegalStateException("clinicwave.security.jwt.jwk-set is not a JWK set", e);
        }
    }
}
