package com.clinicwave.gateway.security;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway verifies access tokens ({@code clinicwave.gateway.jwt.*}): auth-service's JWKS (cached, refetched
 * on an unknown {@code kid} at most once per {@code jwks-refetch-min-interval}), issuer, audience, clock skew, the
 * algorithm allow-list, and the bounded validation cache.
 */
@ConfigurationProperties("clinicwave.gateway.jwt")
public record JwtValidationProperties(
        String jwkSetUri,
        String issuer,
        @DefaultValue("clinicwave-api") List<String> audiences,
        @DefaultValue("30s") Duration clockSkew,
        @DefaultValue({"RS256", "ES256"}) List<String> algorithms,
        @DefaultValue("10m") Duration jwksCacheTtl,
        @DefaultValue("30s") Duration jwksRefetchMinInterval,
        @DefaultValue("12h") Duration jwksOutageTolerance,
        @DefaultValue("2s") Duration jwksTimeout,
        @DefaultValue("100000") long cacheMaxTokens,
        @DefaultValue("8192") int maxTokenLength) {

    public JwtValidationProperties {
        if (algorithms.stream().anyMatch(a -> a.equalsIgnoreCase("none") || a.toUpperCase().startsWith("HS"))) {
            throw new IllegalArgumentException("clinicwave.gateway.jwt.algorithms must list asymmetric algorithms only");
        }
    }
}
