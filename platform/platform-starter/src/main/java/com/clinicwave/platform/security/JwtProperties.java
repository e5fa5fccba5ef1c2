package com.clinicwave.platform.security;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a resource server validates ClinicWave access tokens ({@code clinicwave.security.jwt.*}): keys from
 * auth-service's JWKS (or an inline JWK set, for tests), the issuer (the public gateway URL), the accepted
 * audiences and the clock skew allowed on {@code exp} / {@code nbf}.
 */
@ConfigurationProperties("clinicwave.security.jwt")
public record JwtProperties(@Nullable String jwkSetUri, @Nullable String jwkSet, @Nullable String issuer,
        @DefaultValue("clinicwave-api") List<String> audiences, @DefaultValue("30s") Duration clockSkew) {
}
