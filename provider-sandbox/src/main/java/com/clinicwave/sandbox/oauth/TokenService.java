package com.clinicwave.sandbox.oauth;

import com.clinicwave.platform.crypto.Hashes;
import com.clinicwave.sandbox.config.SandboxProperties;
import com.clinicwave.sandbox.data.SandboxData;
import com.clinicwave.sandbox.data.SandboxPatient;
import com.clinicwave.sandbox.fault.Faults;
import com.clinicwave.sandbox.provider.Provider;
import com.clinicwave.sandbox.provider.ProviderKind;
import com.clinicwave.sandbox.web.ProblemWithHeaders;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.util.MultiValueMap;

/**
 * Codes, access tokens and rotating refresh tokens of every simulated authorization server, kept in memory
 * (a restart of the sandbox is a provider that forgot every grant: clients must re-authorize).
 */
@Service
public class TokenService {

    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");
    private static final Duration REMEMBER_REDEEMED = Duration.ofMinutes(10);

    private final SandboxProperties properties;
    private final SigningKeys keys;
    private final SandboxData data;
    private final Faults faults;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    private final Map<String, Grants.Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Grants.Redeemed> redeemed = new ConcurrentHashMap<>();
    private final Map<String, AccessGrant> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, Grants.Refresh> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, Grants.Rotated> rotated = new ConcurrentHashMap<>();
    private final Map<String, Instant> revokedFamilies = new ConcurrentHashMap<>();

    TokenService(SandboxProperties properties, SigningKeys keys, SandboxData data, Faults faults, Clock clock) {
        this.properties = properties;
        this.keys = keys;
        this.data = data;
        this.faults = faults;
        this.clock = clock;
    }

    /** A single-use authorization code for an approved request. */
    String issueCode(AuthorizationRequest request, String subject) {
        String code = randomToken();
        Instant now = clock.instant();
        codes.put(code, new Grants.Code(request.provider().key(), request.client().clientId(), request.redirectUri(),
                subject, request.scope(), request.codeChallenge(), request.nonce(), now,
                now.plus(properties.codeTtl())));
        return code;
    }

    /** {@code grant_type=authorization_code}. */
    Map<String, Object> exchangeCode(Provider provider, RegisteredClient client, MultiValueMap<String, String> params) {
        String value = required(params, "code");
        Grants.Code code = codes.remove(value);
        if (code == null) {
            Grants.Redeemed replay = redeemed.get(value);
            if (replay != null) {
                revokeFamily(replay.familyId(), clock.instant().plus(properties.refreshTokenTtl()));
            }
            throw OAuthException.invalidGrant("The authorization code is invalid, expired or already used");
        }
        if (!code.providerKey().equals(provider.key()) || !code.clientId().equals(client.clientId())) {
            throw OAuthException.invalidGrant("The authorization code was issued to another client");
        }
        Instant now = clock.instant();
        if (!code.expiresAt().isAfter(now)) {
            throw OAuthException.invalidGrant("The authorization code is invalid, expired or already used");
        }
        if (!code.redirectUri().equals(params.getFirst("redirect_uri"))) {
            throw OAuthException.invalidGrant("redirect_uri does not match the authorization request");
        }
        String verifier = params.getFirst("code_verifier");
        if (code.codeChallenge() != null) {
            if (verifier == null || !VERIFIER.matcher(verifier).matches()
                    || !MessageDigest.isEqual(s256(verifier).getBytes(StandardCharsets.US_ASCII),
                            code.codeChallenge().getBytes(StandardCharsets.US_ASCII))) {
                throw OAuthException.invalidGrant("PKCE verification failed");
            }
        } else if (verifier != null) {
            // RFC 9700 §2.1.1: a verifier without a challenge is a downgrade attempt.
            throw OAuthException.invalidGrant("code_verifier sent but no code_challenge was in the authorization request");
        }
        String familyId = UUID.randomUUID().toString();
        redeemed.put(value, new Grants.Redeemed(familyId, now.plus(REMEMBER_REDEEMED)));
        Grants.Refresh family = new Grants.Refresh(provider.key(), client.clientId(), code.subject(), code.scope(),
                familyId, code.authTime(), now.plus(properties.refreshTokenTtl()));
        return issue(provider, family, code.nonce());
    }

    /** {@code grant_type=refresh_token}, rotating: the presented token dies, a new one is returned. */
    Map<String, Object> refresh(Provider provider, RegisteredClient client, MultiValueMap<String, String> params) {
        String value = required(params, "refresh_token");
        Grants.Refresh grant = refreshTokens.get(value);
        if (grant == null) {
            Grants.Rotated old = rotated.get(value);
            if (old != null) {
                revokeFamily(old.familyId(), old.until());
            }
            throw OAuthException.invalidGrant("The refresh token is invalid, expired or already used");
        }
        if (!grant.providerKey().equals(provider.key()) || !grant.clientId().equals(client.clientId())) {
            throw OAuthException.invalidGrant("The refresh token was issued to another client");
        }
        if (!refreshTokens.remove(value, grant)) {
            throw OAuthException.invalidGrant("The refresh token is invalid, expired or already used");
        }
        Instant now = clock.instant();
        rotated.put(value, new Grants.Rotated(grant.familyId(), grant.familyExpiresAt()));
        if (revokedFamilies.containsKey(grant.familyId()) || !grant.familyExpiresAt().isAfter(now)) {
            throw OAuthException.invalidGrant("The refresh token is invalid, expired or already used");
        }
        if (faults.invalidGrantOnRefresh(provider.key())) {
            revokeFamily(grant.familyId(), grant.familyExpiresAt());
            throw OAuthException.invalidGrant("The user revoked this authorization (injected fault)");
        }
        String scope = grant.scope();
        String requested = params.getFirst("scope");
        if (requested != null && !requested.isBlank()) {
            Set<String> granted = scopes(grant.scope());
            if (!granted.containsAll(scopes(requested))) {
                throw new OAuthException(HttpStatus.BAD_REQUEST, "invalid_scope", "scope exceeds the original grant");
            }
            scope = String.join(" ", scopes(requested));
        }
        return issue(provider, new Grants.Refresh(grant.providerKey(), grant.clientId(), grant.subject(), scope,
                grant.familyId(), grant.authTime(), grant.familyExpiresAt()), null);
    }

    /** RFC 7009: revoking a refresh token ends its whole family; unknown tokens are silently accepted. */
    void revoke(Provider provider, RegisteredClient client, String token) {
        AccessGrant access = accessTokens.get(token);
        if (access != null && access.providerKey().equals(provider.key())
                && access.clientId().equals(client.clientId())) {
            accessTokens.remove(token);
            return;
        }
        Grants.Refresh refresh = refreshTokens.get(token);
        if (refresh != null && refresh.providerKey().equals(provider.key())
                && refresh.clientId().equals(client.clientId())) {
            revokeFamily(refresh.familyId(), refresh.familyExpiresAt());
        }
    }

    /** The grant behind a bearer token presented to one provider's data API, or a 401 problem. */
    public AccessGrant requireAccessToken(Provider provider, @Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ProblemWithHeaders.invalidToken("UNAUTHENTICATED", "A bearer access token is required");
        }
        String token = authorization.substring(7).trim();
        AccessGrant grant = accessTokens.get(token);
        if (grant == null || !grant.providerKey().equals(provider.key())) {
            throw ProblemWithHeaders.invalidToken("TOKEN_INVALID", "The access token is not valid here");
        }
        if (revokedFamilies.containsKey(grant.familyId())) {
            throw ProblemWithHeaders.invalidToken("TOKEN_REVOKED", "The access token was revoked");
        }
        if (!grant.expiresAt().isAfter(clock.instant())) {
            throw ProblemWithHeaders.invalidToken("TOKEN_EXPIRED", "The access token has expired");
        }
        return grant;
    }

    private Map<String, Object> issue(Provider provider, Grants.Refresh family, @Nullable String nonce) {
        Instant now = clock.instant();
        long expiresIn = faults.expiresInOverride(provider.key())
                .orElse(Math.max(1, properties.accessTokenTtl().toSeconds()));
        String accessToken = randomToken();
        String refreshToken = randomToken();
        accessTokens.put(accessToken, new AccessGrant(provider.key(), family.clientId(), family.subject(),
                family.scope(), family.familyId(), now.plusSeconds(expiresIn)));
        refreshTokens.put(refreshToken, family);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", accessToken);
        body.put("token_type", "Bearer");
        body.put("expires_in", expiresIn);
        body.put("refresh_token", refreshToken);
        body.put("scope", family.scope());
        if (provider.kind() != ProviderKind.IDP) {
            body.put("patient", family.subject());
        }
        if (provider.kind() == ProviderKind.ATHENA) {
            body.put("practice_id", properties.athena().practiceIds().getFirst());
        }
        if (scopes(family.scope()).contains("openid")) {
            body.put("id_token", idToken(provider, family, nonce, now, expiresIn));
        }
        return body;
    }

    private String idToken(Provider provider, Grants.Refresh family, @Nullable String nonce, Instant now,
            long expiresIn) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(provider.issuer()).subject(family.subject())
                .audience(family.clientId()).claim("azp", family.clientId()).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(expiresIn)))
                .claim("auth_time", family.authTime().getEpochSecond()).jwtID(UUID.randomUUID().toString());
        if (nonce != null) {
            claims.claim("nonce", nonce);
        }
        if (provider.isFhir()) {
            claims.claim("fhirUser", provider.fhirBase() + "/Patient/" + family.subject());
        }
        data.patient(family.subject()).ifPresent(patient -> userClaims(claims, patient));
        return keys.sign(claims.build());
    }

    /** The OIDC standard claims of a sandbox user (the IdP's users are the sandbox patients). */
    public static Map<String, Object> userClaims(SandboxPatient patient) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", patient.id());
        claims.put("name", patient.givenName() + " " + patient.familyName());
        claims.put("given_name", patient.givenName());
        claims.put("family_name", patient.familyName());
        claims.put("preferred_username", patient.id());
        claims.put("email", patient.email());
        claims.put("email_verified", true);
        claims.put("birthdate", patient.birthDate().toString());
        return claims;
    }

    private static void userClaims(JWTClaimsSet.Builder builder, SandboxPatient patient) {
        userClaims(patient).forEach((name, value) -> {
            if (!"sub".equals(name)) {
                builder.claim(name, value);
            }
        });
    }

    private void revokeFamily(String familyId, Instant until) {
        revokedFamilies.put(familyId, until);
        refreshTokens.values().removeIf(r -> r.familyId().equals(familyId));
        accessTokens.values().removeIf(a -> a.familyId().equals(familyId));
    }

    /** Forgets what has expired, so that a long-running sandbox does not grow. */
    @Scheduled(fixedDelayString = "PT1M")
    void sweep() {
        Instant now = clock.instant();
        codes.values().removeIf(c -> c.expiresAt().isBefore(now));
        redeemed.values().removeIf(r -> r.until().isBefore(now));
        accessTokens.values().removeIf(a -> a.expiresAt().isBefore(now));
        refreshTokens.values().removeIf(r -> r.familyExpiresAt().isBefore(now));
        rotated.values().removeIf(r -> r.until().isBefore(now));
        revokedFamilies.values().removeIf(until -> until.isBefore(now));
    }

    static Set<String> scopes(@Nullable String scope) {
        if (scope == null || scope.isBlank()) {
            return Set.of();
        }
        return new LinkedHashSet<>(Arrays.asList(scope.trim().split("\\s+")));
    }

    static String s256(String verifier) {
        return Hashes.sha256Base64Url(verifier);
    }

    private static String required(MultiValueMap<String, String> params, String name) {
        String value = params.getFirst(name);
        if (value == null || value.isBlank()) {
            throw OAuthException.invalidRequest(name + " is required");
        }
        return value;
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
