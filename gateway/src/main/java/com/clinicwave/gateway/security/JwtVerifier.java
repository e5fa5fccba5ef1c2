package com.clinicwave.gateway.security;

import com.clinicwave.platform.security.ClinicWaveJwtAuthorities;
import com.clinicwave.platform.web.ProblemCodes;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Full verification of an access token the gateway has not seen yet: algorithm allow-list (never {@code none} or
 * HMAC), signature against auth-service's JWKS, then issuer, audience, expiry and not-before with the configured skew.
 * May block on a JWKS fetch: call it off the event loop.
 */
class JwtVerifier {

    private static final Logger log = LoggerFactory.getLogger(JwtVerifier.class);

    private final JwtValidationProperties properties;
    private final Set<JWSAlgorithm> algorithms;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final Clock clock;

    JwtVerifier(JwtValidationProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.algorithms = properties.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
        int timeout = (int) properties.jwksTimeout().toMillis();
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(URI.create(properties.jwkSetUri()).toURL(),
                            new DefaultResourceRetriever(timeout, timeout, 256 * 1024))
                    .cache(properties.jwksCacheTtl().toMillis(), timeout)
                    // An unknown kid triggers a refetch, but a stream of forged kids cannot hammer auth-service.
                    .rateLimited(properties.jwksRefetchMinInterval().toMillis())
                    // Known keys keep verifying new tokens while auth-service is down.
                    .outageTolerant(properties.jwksOutageTolerance().toMillis())
                    .retrying(true)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("clinicwave.gateway.jwt.jwk-set-uri is not a URL", e);
        }
        processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        processor.setJWTClaimsSetVerifier((claims, context) -> {
            // Claims are checked below, so each failure maps to its own public code.
        });
    }

    VerifiedToken verify(String token) {
        if (token.length() > properties.maxTokenLength()) {
            throw invalid("The access token is invalid");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            // Also unsigned (alg "none") tokens: they are not JWS objects.
            throw invalid("The access token is invalid");
        }
        if (!algorithms.contains(jwt.getHeader().getAlgorithm())) {
            throw invalid("The access token is invalid");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (RateLimitReachedException e) {
            throw invalid("The access token is invalid");
        } catch (JWKSetUnavailableException e) {
            log.warn("Cannot fetch auth-service's JWKS to verify a token with an unknown key: {}", e.getMessage());
            throw new TokenRejectedException(HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE,
                    "The token cannot be verified right now, please retry later");
        } catch (KeySourceException e) {
            log.warn("JWKS lookup failed: {}", e.getMessage());
            throw new TokenRejectedException(HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE,
                    "The token cannot be verified right now, please retry later");
        } catch (BadJOSEException | com.nimbusds.jose.JOSEException e) {
            throw invalid("The access token is invalid");
        }
        return checkClaims(token, jwt, claims);
    }

    private VerifiedToken checkClaims(String token, SignedJWT jwt, JWTClaimsSet claims) {
        Instant now = clock.instant();
        Duration skew = properties.clockSkew();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw invalid("The access token is invalid");
        }
        if (now.isAfter(exp.toInstant().plus(skew))) {
            throw new TokenRejectedException(HttpStatus.UNAUTHORIZED, ProblemCodes.TOKEN_EXPIRED,
                    "The access token has expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(skew).isBefore(nbf.toInstant())) {
            throw invalid("The access token is not valid yet");
        }
        if (!properties.issuer().equals(claims.getIssuer())) {
            throw invalid("The access token is invalid");
        }
        List<String> audience = claims.getAudience();
        if (audience == null || audience.stream().noneMatch(properties.audiences()::contains)) {
            throw invalid("The access token is invalid");
        }
        if (claims.getSubject() == null) {
            throw invalid("The access token is invalid");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        claims.getClaims().forEach((name, value) -> values.put(name, value instanceof Date d ? d.toInstant() : value));
        Jwt springJwt = Jwt.withTokenValue(token)
                .headers(h -> h.putAll(jwt.getHeader().toJSONObject()))
                .claims(c -> c.putAll(values))
                .build();
        JwtAuthenticationToken authentication = new JwtAuthenticationToken(springJwt,
                ClinicWaveJwtAuthorities.authorities(springJwt), claims.getSubject());
        return new VerifiedToken(authentication, exp.toInstant(), claims.getJWTID(), stringClaim(claims, "sid"),
                stringClaim(claims, "api_key_id"));
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value == null ? null : String.valueOf(value);
    }

    private static TokenRejectedException invalid(String detail) {
        return new TokenRejectedException(HttpStatus.UNAUTHORIZED, ProblemCodes.TOKEN_INVALID, detail);
    }
}
