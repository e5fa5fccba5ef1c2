package com.clinicwave.auth.token;

import com.clinicwave.auth.config.AuthProperties;
import com.clinicwave.auth.keys.SigningKeys;
import com.clinicwave.auth.user.Grants;
import com.clinicwave.auth.user.UserAccount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Component;

/** Mints the first-party access tokens (login, refresh, API-key exchange) with the claims of docs/contracts.md. */
@Component
public class AccessTokens {

    public static final String AUDIENCE = "clinicwave-api";

    private final JwtEncoder encoder;
    private final SigningKeys keys;
    private final AuthProperties properties;
    private final Clock clock;
    private final String issuer;

    AccessTokens(JwtEncoder encoder, SigningKeys keys, AuthProperties properties, Clock clock,
            @Value("${clinicwave.public-base-url}") String issuer) {
        this.encoder = encoder;
        this.keys = keys;
        this.properties = properties;
        this.clock = clock;
        this.issuer = issuer;
    }

    public String issuer() {
        return issuer;
    }

    public Jwt forSession(UserAccount user, Grants grants, String sid) {
        return mint(user, grants.roles(), grants.permissions(), sid, null, properties.accessTokenTtl());
    }

    /** Audience of the ID tokens of the first-party login API (there is no OAuth client id to name). */
    public static final String FIRST_PARTY_AUDIENCE = "clinicwave-first-party";

    /**
     * The first-party login's OpenID Connect ID token (issue 16, seed 001): RS256 like every ID token here, the user's
     * identity, tenant, roles and permissions, {@code sid}; {@code aud} = {@value #FIRST_PARTY_AUDIENCE}. For the app to
     * read, never to call an API with (resource servers accept only access tokens, audience {@code clinicwave-api}).
     */
    public Jwt idToken(UserAccount user, Grants grants, String sid) {
        Instant now = clock.instant();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer(issuer)
                .subject(user.id().toString())
                .audience(List.of(FIRST_PARTY_AUDIENCE))
                .issuedAt(now)
                .expiresAt(now.plus(properties.accessTokenTtl()))
                .claim("azp", FIRST_PARTY_AUDIENCE)
                .claim("auth_time", now.getEpochSecond())
                .claim("tid", user.tenantId().toString())
                .claim("tenant", user.tenantKey())
                .claim("preferred_username", user.username())
                .claim("roles", grants.roles())
                .claim("permissions", grants.permissions())
                .claim("sid", sid);
        if (user.email() != null) {
            claims.claim("email", user.email()).claim("email_verified", user.emailVerified());
        }
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId(keys.active().getKeyID()).type("JWT").build();
        return encoder.encode(JwtEncoderParameters.from(header, claims.build()));
    }

    public Jwt forApiKey(UserAccount user, List<String> scopes, UUID apiKeyId) {
        return mint(user, List.of(), scopes, null, apiKeyId, properties.apiKeyTokenTtl());
    }

    private Jwt mint(UserAccount user, List<String> roles, List<String> permissions, @Nullable String sid,
            @Nullable UUID apiKeyId, Duration ttl) {
        Instant now = clock.instant();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer(issuer)
                .subject(user.id().toString())
                .audience(List.of(AUDIENCE))
                .issuedAt(now)
                .notBefore(now)
                .expiresAt(now.plus(ttl))
                .id(UUID.randomUUID().toString())
                .claim("tid", user.tenantId().toString())
                .claim("tenant", user.tenantKey())
                .claim("preferred_username", user.username())
                .claim("roles", roles)
                .claim("permissions", permissions)
                .claim("scope", String.join(" ", permissions));
        if (sid != null) {
            claims.claim("sid", sid);
        }
        if (apiKeyId != null) {
            claims.claim("api_key_id", apiKeyId.toString());
        }
        String algorithm = keys.accessTokenAlgorithm();
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.from(algorithm)).keyId(keys.active(algorithm).getKeyID())
                .type("JWT").build();
        return encoder.encode(JwtEncoderParameters.from(header, claims.build()));
    }
}
