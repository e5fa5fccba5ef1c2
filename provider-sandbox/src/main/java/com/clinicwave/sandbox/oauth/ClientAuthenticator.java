package com.clinicwave.sandbox.oauth;

import com.clinicwave.sandbox.provider.Provider;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;

/**
 * Authenticates the client at the token and revocation endpoints by exactly one of {@code client_secret_basic},
 * {@code client_secret_post} or {@code private_key_jwt} (RFC 7523, verified against the client's JWKS URL).
 */
@Component
public class ClientAuthenticator {

    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.ES256, JWSAlgorithm.ES384);
    private static final Duration SKEW = Duration.ofSeconds(60);
    private static final Duration MAX_ASSERTION_LIFETIME = Duration.ofMinutes(5);

    private final ClientRegistry clients;
    private final ClientJwks jwks;
    private final Clock clock;
    private final Map<String, Instant> usedAssertions = new ConcurrentHashMap<>();

    ClientAuthenticator(ClientRegistry clients, ClientJwks jwks, Clock clock) {
        this.clients = clients;
        this.jwks = jwks;
        this.clock = clock;
    }

    /** The authenticated client, or an {@code invalid_client} / {@code invalid_request} {@link OAuthException}. */
    public AuthenticatedClient authenticate(Provider provider, @Nullable String authorization,
            MultiValueMap<String, String> params) {
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        boolean post = params.containsKey("client_secret");
        boolean jwt = params.containsKey("client_assertion") || params.containsKey("client_assertion_type");
        int methods = (basic ? 1 : 0) + (post ? 1 : 0) + (jwt ? 1 : 0);
        if (methods > 1) {
            throw OAuthException.invalidRequest("Use exactly one client authentication method");
        }
        AuthenticatedClient result;
        if (basic) {
            result = new AuthenticatedClient(basic(provider, authorization.substring(6).trim()), "client_secret_basic");
        } else if (post) {
            result = new AuthenticatedClient(secret(provider, params.getFirst("client_id"),
                    params.getFirst("client_secret")), "client_secret_post");
        } else if (jwt) {
            result = new AuthenticatedClient(assertion(provider, params), "private_key_jwt");
        } else {
            throw OAuthException.invalidClient("Client authentication is required");
        }
        String bodyClientId = params.getFirst("client_id");
        if (bodyClientId != null && !bodyClientId.equals(result.client().clientId())) {
            throw OAuthException.invalidClient("client_id does not match the authenticated client");
        }
        return result;
    }

    private RegisteredClient basic(Provider provider, String credentials) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient("Malformed Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw OAuthException.invalidClient("Malformed Basic credentials");
        }
        // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
        return secret(provider, URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
    }

    private RegisteredClient secret(Provider provider, @Nullable String clientId, @Nullable String secret) {
        if (clientId == null || secret == null) {
            throw OAuthException.invalidClient("Client authentication failed");
        }
        RegisteredClient client = clients.find(provider, clientId)
                .orElseThrow(() -> OAuthException.invalidClient("Client authentication failed"));
        if (!MessageDigest.isEqual(client.clientSecret().getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8))) {
            throw OAuthException.invalidClient("Client authentication failed");
        }
        return client;
    }

    private RegisteredClient assertion(Provider provider, MultiValueMap<String, String> params) {
        if (!JWT_BEARER.equals(params.getFirst("client_assertion_type"))) {
            throw OAuthException.invalidClient("Unsupported client_assertion_type");
        }
        String value = params.getFirst("client_assertion");
        if (value == null || value.length() > 8192) {
            throw OAuthException.invalidClient("Missing or oversized client_assertion");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(value);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw OAuthException.invalidClient("Malformed client_assertion");
        }
        if (!ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
            throw OAuthException.invalidClient("Unsupported client_assertion algorithm");
        }
        String subject = claims.getSubject();
        if (subject == null || !subject.equals(claims.getIssuer())) {
            throw OAuthException.invalidClient("client_assertion iss and sub must be the client id");
        }
        RegisteredClient client = clients.find(provider, subject)
                .orElseThrow(() -> OAuthException.invalidClient("Client authentication failed"));
        if (client.jwksUrl() == null) {
            throw OAuthException.invalidClient("The client is not registered for private_key_jwt");
        }
        List<String> audience = claims.getAudience();
        if (audience.stream().noneMatch(a -> a.equals(provider.tokenEndpoint()) || a.equals(provider.issuer())
                || a.equals(provider.revocationEndpoint()))) {
            throw OAuthException.invalidClient("client_assertion audience must be the token endpoint");
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null || exp.toInstant().isBefore(now.minus(SKEW))
                || exp.toInstant().isAfter(now.plus(MAX_ASSERTION_LIFETIME).plus(SKEW))) {
            throw OAuthException.invalidClient("client_assertion is expired or lives too long");
        }
        if (claims.getIssueTime() != null && claims.getIssueTime().toInstant().isAfter(now.plus(SKEW))) {
            throw OAuthException.invalidClient("client_assertion is issued in the future");
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isBlank()) {
            throw OAuthException.invalidClient("client_assertion needs a jti");
        }
        if (!verify(jwt, jwks.get(client.jwksUrl(), false)) && !verify(jwt, jwks.get(client.jwksUrl(), true))) {
            throw OAuthException.invalidClient("client_assertion signature is invalid");
        }
        usedAssertions.values().removeIf(until -> until.isBefore(now));
        if (usedAssertions.putIfAbsent(client.clientId() + " " + jti, exp.toInstant().plus(SKEW)) != null) {
            throw OAuthException.invalidClient("client_assertion was already used");
        }
        return client;
    }

    private static boolean verify(SignedJWT jwt, JWKSet keys) {
        String kid = jwt.getHeader().getKeyID();
        for (JWK key : keys.getKeys()) {
            if (kid != null && !kid.equals(key.getKeyID())) {
                continue;
            }
            try {
                JWSVerifier verifier = switch (key) {
                    case RSAKey rsa -> new RSASSAVerifier(rsa);
                    case ECKey ec -> new ECDSAVerifier(ec);
                    default -> null;
                };
                if (verifier != null && verifier.supportedJWSAlgorithms().contains(jwt.getHeader().getAlgorithm())
                        && jwt.verify(verifier)) {
                    return true;
                }
            } catch (JOSEException e) {
                // A key of the wrong kind or curve for this signature: try the next one.
            }
        }
        return false;
    }

    /** A client and the method it authenticated with. */
    public record AuthenticatedClient(RegisteredClient client, String method) {
    }
}
