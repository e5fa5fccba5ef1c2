package com.clinicwave.auth.keys;

import com.clinicwave.auth.config.AuthProperties;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The token-signing keys, persisted (private parts encrypted) and shared by every replica: the JWKS publishes all
 * keys not yet expired; per algorithm, only the newest key whose activation time has passed signs. Rotation inserts
 * a key that activates {@code publishLead} later (resource servers see it before any token carries its {@code kid})
 * and retires the previous one of the same algorithm, which stays published for the access-token lifetime plus
 * {@code retention}. RS256 keys always exist (ID tokens: the OpenID Connect default algorithm); ES256 keys too when
 * access tokens are signed with ES256 ({@code clinicwave.auth.keys.access-token-algorithm}).
 */
@Component
public class SigningKeys implements JWKSource<SecurityContext> {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

    public static final String RS256 = "RS256";
    public static final String ES256 = "ES256";

    /** A loaded key. */
    record Entry(JWK jwk, String algorithm, Instant activatesAt) {
    }

    private final JdbcClient jdbc;
    private final KeyEncryption encryption;
    private final AuthProperties properties;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final Set<String> algorithms;
    private volatile List<Entry> entries = List.of();
    private volatile Instant loadedAt = Instant.EPOCH;

    SigningKeys(JdbcClient jdbc, KeyEncryption encryption, AuthProperties properties, Clock clock,
            TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.encryption = encryption;
        this.properties = properties;
        this.clock = clock;
        this.tx = tx;
        String accessTokens = properties.keys().accessTokenAlgorithm();
        if (!RS256.equals(accessTokens) && !ES256.equals(accessTokens)) {
            throw new IllegalStateException("clinicwave.auth.keys.access-token-algorithm must be RS256 or ES256, not "
                    + accessTokens);
        }
        this.algorithms = new LinkedHashSet<>(List.of(RS256, accessTokens));
    }

    /** The JWS algorithm of access tokens (RS256 or ES256). */
    public String accessTokenAlgorithm() {
        return properties.keys().accessTokenAlgorithm();
    }

    /** The RS256 key that signs now (ID tokens; its {@code kid} goes into the JWS header). */
    public JWK active() {
        return active(RS256);
    }

    /** The key of that algorithm that signs now. */
    public JWK active(String algorithm) {
        List<Entry> current = current().stream().filter(e -> e.algorithm().equals(algorithm)).toList();
        if (current.isEmpty()) {
            throw new IllegalStateException("No " + algorithm + " signing key");
        }
        Instant now = clock.instant();
        return current.stream().filter(e -> !e.activatesAt().isAfter(now))
                .max(Comparator.comparing(Entry::activatesAt)).map(Entry::jwk)
                .orElseGet(() -> current.stream().min(Comparator.comparing(Entry::activatesAt)).orElseThrow().jwk());
    }

    public JWKSet publicSet() {
        return new JWKSet(current().stream().map(e -> (JWK) e.jwk().toPublicJWK()).toList());
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        return selector.select(new JWKSet(current().stream().map(e -> (JWK) e.jwk()).toList()));
    }

    /**
     * Publishes a new key of every algorithm in use, each signing from {@code now + publishLead}; answers the
     * {@code kid} of the new access-token key.
     */
    public String rotate() {
        String kid = null;
        for (String algorithm : algorithms) {
            String rotated = rotate(algorithm);
            if (algorithm.equals(accessTokenAlgorithm())) {
                kid = rotated;
            }
        }
        return kid;
    }

    /** Publishes a new key of that algorithm that signs from {@code now + publishLead}; answers its {@code kid}. */
    public String rotate(String algorithm) {
        String kid = tx.execute(status -> {
            Instant now = clock.instant();
            String newKid = insertKey(algorithm, now.plus(properties.keys().publishLead()));
            Instant keepUntil = now.plus(properties.keys().publishLead()).plus(properties.accessTokenTtl())
                    .plus(properties.keys().retention());
            jdbc.sql("""
                    update signing_key set retired_at = ?, expires_at = ?
                    where algorithm = ? and kid <> ? and retired_at is null
                    """).params(Timestamp.from(now), Timestamp.from(keepUntil), algorithm, newKid).update();
            return newKid;
        });
        reload();
        log.info("Signing key rotated: new {} kid {}", algorithm, kid);
        return kid;
    }

    /** A signing key as operators see it (never the private part). */
    public record KeyInfo(String kid, String algorithm, Instant createdAt, Instant activatesAt,
            @Nullable Instant retiredAt, @Nullable Instant expiresAt, boolean signing) {
    }

    /** The keys still published (not yet expired), oldest first; {@code signing} marks each algorithm's active key. */
    public List<KeyInfo> describe() {
        reload();
        List<String> signing = algorithms.stream().map(a -> active(a).getKeyID()).toList();
        return jdbc.sql("""
                select kid, algorithm, created_at, activates_at, retired_at, expires_at from signing_key
                where expires_at is null or expires_at > ? order by activates_at
                """).param(Timestamp.from(clock.instant())).query((rs, n) -> new KeyInfo(rs.getString(1),
                        rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant(),
                        instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), signing.contains(rs.getString(1))))
                .list();
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** Rotates each algorithm's key when it is older than the rotation interval; makes sure one key exists. */
    @Scheduled(fixedDelayString = "${clinicwave.auth.keys.check-interval:PT5M}", initialDelayString = "PT1M")
    public void rotateWhenDue() {
        for (String algorithm : algorithms) {
            Instant newest = jdbc.sql("select max(activates_at) from signing_key where algorithm = ?").param(algorithm)
                    .query(Timestamp.class).optional().map(Timestamp::toInstant).orElse(null);
            if (newest == null || newest.plus(properties.keys().rotationInterval()).isBefore(clock.instant())) {
                rotate(algorithm);
            }
        }
    }

    private List<Entry> current() {
        if (loadedAt.plusSeconds(30).isBefore(clock.instant()) || entries.isEmpty()) {
            reload();
        }
        return entries;
    }

    private boolean complete(List<Entry> loaded) {
        return algorithms.stream().allMatch(a -> loaded.stream().anyMatch(e -> e.algorithm().equals(a)));
    }

    synchronized void reload() {
        List<Entry> loaded = load();
        if (!complete(loaded)) {
            // First start (of an algorithm): one key, signing at once (nothing can hold an older key of it yet).
            tx.executeWithoutResult(s -> {
                jdbc.sql("select pg_advisory_xact_lock(4242)").query(Object.class).optional();
                for (String algorithm : algorithms) {
                    if (jdbc.sql("select count(*) from signing_key where algorithm = ?").param(algorithm)
                            .query(Long.class).single() == 0) {
                        insertKey(algorithm, clock.instant());
                    }
                }
            });
            loaded = load();
        }
        entries = loaded;
        loadedAt = clock.instant();
    }

    private List<Entry> load() {
        List<Entry> result = new ArrayList<>();
        jdbc.sql("""
                select kid, private_key_enc, activates_at, algorithm from signing_key
                where expires_at is null or expires_at > ? order by activates_at
                """).param(Timestamp.from(clock.instant())).query(rs -> {
                    String kid = rs.getString(1);
                    try {
                        JWK jwk = JWK.parse(encryption.decrypt(rs.getString(2), kid));
                        result.add(new Entry(jwk, rs.getString(4), rs.getTimestamp(3).toInstant()));
                    } catch (ParseException e) {
                        throw new IllegalStateException("Signing key " + kid + " is unreadable", e);
                    }
                });
        return result;
    }

    private String insertKey(String algorithm, Instant activatesAt) {
        try {
            String kid = UUID.randomUUID().toString();
            JWK jwk = ES256.equals(algorithm)
                    ? new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                            .generate()
                    : new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                            .generate();
            jdbc.sql("""
                    insert into signing_key (kid, algorithm, public_jwk, private_key_enc, activates_at)
                    values (?, ?, ?, ?, ?)
                    """).params(kid, algorithm, jwk.toPublicJWK().toJSONString(),
                    encryption.encrypt(jwk.toJSONString(), kid), Timestamp.from(activatesAt)).update();
            return kid;
        } catch (JOSEException e) {
            throw new IllegalStateException("Key generation failed", e);
        }
    }
}
