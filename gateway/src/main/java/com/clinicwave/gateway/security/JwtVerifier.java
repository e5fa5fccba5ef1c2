package com.clinicwave.gateway.security;

import com.clinicwave.platform.security.ClinicWaveJwtAuthorities;
import com.clinicwave.platform.web.ProblemCodes;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Full verification of an access token the gateway has not seen yet, through Spring Security's resource-server
 * decoder ({@link NimbusReactiveJwtDecoder}): the token must be a JWS (an unsigned {@code alg: none} token is refused
 * by the decoder), its algorithm on the allow-list (never HMAC), its signature verified with auth-service's JWKS
 * (Nimbus key source: cached, refetched on an unknown {@code kid} at most once per interval, outage tolerant); then
 * issuer, audience, expiry and not-before with the configured skew, each failure with its own public code. A JWKS
 * fetch may block: the processor runs on the bounded-elastic scheduler, never on the event loop.
 */
class JwtVerifier {

    private static final Logger log = LoggerFactory.getLogger(JwtVerifier.class);

    private final JwtValidationProperties properties;
    private final Set<JWSAlgorithm> algorithms;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final Clock clock;
    private final NimbusReactiveJwtDecoder decoder;

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
        decoder = new NimbusReactiveJwtDecoder(this::process);
        // Claims are checked in checkClaims (one public code per failure), not by the decoder's validators.
        decoder.setJwtValidator(jwt -> OAuth2TokenValidatorResult.success());
    }

    Mono<VerifiedToken> verify(String token) {
        if (token.length() > properties.maxTokenLength()) {
            return Mono.error(invalid("The access token is invalid"));
        }
        return decoder.decode(token)
                .onErrorMap(e -> !(e instanceof TokenRejectedException), JwtVerifier::refusal)
                .map(jwt -> checkClaims(token, jwt));
    }

    /** Nimbus verification of a parsed token (signature, algorithm, type), off the event loop. */
    private Mono<JWTClaimsSet> process(JWT jwt) {
        if (!(jwt instanceof SignedJWT signed) || !algorithms.contains(signed.getHeader().getAlgorithm())) {
            return Mono.error(invalid("The access token is invalid"));
        }
        return Mono.fromCallable(() -> processor.process(signed, null)).subscribeOn(Schedulers.boundedElastic());
    }

    private static TokenRejectedException refusal(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof TokenRejectedException rejected) {
                return rejected;
            }
            if (t instanceof RateLimitReachedException) {
                // A forged kid while the JWKS refetch is rate limited.
                return invalid("The access token is invalid");
            }
            if (t instanceof KeySourceException) {
                log.warn("Cannot fetch auth-service's JWKS to verify a token with an unknown key: {}", t.getMessage());
                return new TokenRejectedException(HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE,
                        "The token cannot be verified right now, please retry later");
            }
        }
        // Unparseable, unsigned, bad signature, unknown key, wrong type: all the same to the caller.
        return invalid("The access token is invalid");
    }

    private VerifiedToken checkClaims(String token, Jwt jwt) {
        Instant now = clock.instant();
        Duration skew = properties.clockSkew();
        Instant exp = jwt.getExpiresAt();
        if (exp == null) {
            throw invalid("The access token is invalid");
        }
        if (now.isAfter(exp.plus(skew))) {
            throw new TokenRejectedException(HttpStatus.UNAUTHORIZED, ProblemCodes.TOKEN_EXPIRED,
                    "The access token has expired");
        }
        Instant nbf = jwt.getNotBefore();
        if (nbf != null && now.plus(skew).isBefore(nbf)) {
            throw invalid("The access token is not valid yet");
        }
        Object issuer = jwt.getClaims().get("iss");
        if (issuer == null || !properties.issuer().equals(issuer.toString())) {
            throw invalid("The access token is invalid");
        }
        List<String> audience = jwt.getAudience();
        if (audience == null || audience.stream().noneMatch(properties.audiences()::contains)) {
            // Also internal service tokens (audience clinicwave-internal): never accepted at the public door.
            throw invalid("The access token is invalid");
        }
        if (jwt.getSubject() == null) {
            throw invalid("The access token is invalid");
        }
        JwtAuthenticationToken authentication = new JwtAuthenticationToken(jwt,
                ClinicWaveJwtAuthorities.authorities(jwt), jwt.getSubject());
        return new VerifiedToken(authentication, exp, jwt.getId(), jwt.getClaimAsString("sid"),
                jwt.getClaimAsString("api_key_id"), jwt.getIssuedAt());
    }

    private static TokenRejectedException invalid(String detail) {
        return new TokenRejectedException(HttpStatus.UNAUTHORIZED, ProblemCodes.TOKEN_INVALID, detail);
    }
}
