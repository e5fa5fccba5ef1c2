package com.clinicwave.auth.keys;

import com.clinicwave.auth.config.AuthProperties;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The token-signing keys, persisted (private parts encrypted) and shared by every replica: the JWKS publishes all
 * keys not yet expired; only the newest key whose activation time has passed signs. Rotation inserts a key that
 * activates {@code publishLead} later (resource servers see it before any token carries its {@code kid}) and retires
 * the previous one, which stays published for the access-token lifetime plus {@code retention}.
 */
@Component
public class SigningKeys implements JWKSource<SecurityContext> {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

    /** A loaded key. */
    record Entry(RSAKey jwk, Instant activatesAt) {
    }

    private final JdbcClient jdbc;
    private final KeyEncryption encryption;
    private final AuthProperties properties;
    private final Clock clock;
    private final TransactionTemplate tx;
    private volatile List<Entry> entries = List.of();
    private volatile Instant loadedAt = Instant.EPOCH;

    SigningKeys(JdbcClient jdbc, KeyEncryption encryption, AuthProperties properties, Clock clock,
            TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.encryption = encryption;
        this.properties = properties;
        this.clock = clock;
        this.tx = tx;
    }

    /** The key that signs now (its {@code kid} goes into the JWS header). */
    public RSAKey active() {
        List<Entry> current = current();
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

    /** Publishes a new key that signs from {@code now + publishLead}; answers its {@code kid}. */
    public String rotate() {
        String kid = tx.execute(status -> {
            Instant now = clock.instant();
            String newKid = insertKey(now.plus(properties.keys().publishLead()));
            Instant keepUntil = now.plus(properties.keys().publishLead()).plus(properties.accessTokenTtl())
                    .plus(properties.keys().retention());
            jdbc.sql("update signing_key set retired_at = ?, expires_at = ? where kid <> ? and retired_at is null")
                    .params(Timestamp.from(now), Timestamp.from(keepUntil), newKid).update();
            return newKid;
        });
        reload();
        log.info("Signing key rotated: new kid {}", kid);
        return kid;
    }

    /** Rotates when the signing key is older than the rotation interval; makes sure one key exists. */
    @Scheduled(fixedDelayString = "${clinicwave.auth.keys.check-interval:PT5M}", initialDelayString = "PT1M")
    public void rotateWhenDue() {
        Instant newest = jdbc.sql("select max(activates_at) from signing_key").query(Timestamp.class).optional()
                .map(Timestamp::toInstant).orElse(null);
        if (newest == null || newest.plus(properties.keys().rotationInterval()).isBefore(clock.instant())) {
            rotate();
        }
    }

    private List<Entry> current() {
        if (loadedAt.plusSeconds(30).isBefore(clock.instant()) || entries.isEmpty()) {
            reload();
        }
        return entries;
    }

    synchronized void reload() {
        List<Entry> loaded = load();
        if (loaded.isEmpty()) {
            // First start: one key, signing at once (nothing can hold an older key yet).
            tx.executeWithoutResult(s -> {
                jdbc.sql("select pg_advisory_xact_lock(4242)").query(Object.class).optional();
                if (jdbc.sql("select count(*) from signing_key").query(Long.class).single() == 0) {
                    insertKey(clock.instant());
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
                select kid, private_key_enc, activates_at from signing_key
                where expires_at is null or expires_at > ? order by activates_at
                """).param(Timestamp.from(clock.instant())).query(rs -> {
                    String kid = rs.getString(1);
                    try {
                        RSAKey jwk = RSAKey.parse(encryption.decrypt(rs.getString(2), kid));
                        result.add(new Entry(jwk, rs.getTimestamp(3).toInstant()));
                    } catch (ParseException e) {
                        throw new IllegalStateException("Signing key " + kid + " is unreadable", e);
                    }
                });
        return result;
    }

    private String insertKey(Instant activatesAt) {
        try {
            String kid = UUID.randomUUID().toString();
            RSAKey jwk = new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .generate();
            jdbc.sql("""
                    insert into signing_key (kid, algorithm, public_jwk, private_key_enc, activates_at)
                    values (?, 'RS256', ?, ?, ?)
                    """).params(kid, jwk.toPublicJWK().toJSONString(), encryption.encrypt(jwk.toJSONString(), kid),
                    Timestamp.from(activatesAt)).update();
            return kid;
        } catch (JOSEException e) {
            throw new IllegalStateException("Key generation failed", e);
        }
    }
}
