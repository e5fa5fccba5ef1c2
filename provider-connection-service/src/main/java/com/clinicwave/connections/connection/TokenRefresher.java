package com.clinicwave.connections.connection;

import com.clinicwave.connections.audit.Actor;
import com.clinicwave.connections.audit.AuditLog;
import com.clinicwave.connections.catalog.CatalogService;
import com.clinicwave.connections.catalog.Provider;
import com.clinicwave.connections.config.ConnectionsProperties;
import com.clinicwave.connections.crypto.TokenCipher;
import com.clinicwave.connections.provider.ProviderClient;
import com.clinicwave.connections.provider.ProviderOAuthException;
import com.clinicwave.connections.provider.ProviderUnavailableException;
import com.clinicwave.connections.provider.TokenResponse;
import com.clinicwave.platform.web.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Refreshes a connection's provider token exactly once however many callers (threads, instances, the scheduler)
 * ask at the same time: the refresh runs while holding the connection's row lock, and whoever gets the lock after
 * it re-reads the row and finds a token refreshed since it asked (or within the minimum interval), so it makes no
 * second call. A rotated refresh token from the provider replaces the old one in the same transaction;
 * {@code invalid_grant} destroys the tokens and marks the connection {@code reauth_required}. A provider outage
 * rolls everything back: the stored tokens stay as they were.
 */
@Component
public class TokenRefresher {

    private static final Logger log = LoggerFactory.getLogger(TokenRefresher.class);

    public enum Outcome { REFRESHED, ALREADY_FRESH, REAUTH_REQUIRED, NOT_ACTIVE }

    public record Result(Outcome outcome, Connection connection) {
    }

    private final ConnectionRepository connections;
    private final CatalogService catalog;
    private final ProviderClient providers;
    private final TokenCipher cipher;
    private final ConnectionEvents events;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ConnectionsProperties properties;
    private final MeterRegistry meters;

    /** Refreshes by outcome and provider, for the refresh-failure alert and the connections dashboard. */
    private void count(String outcome, String provider) {
        Counter.builder("connections.refresh").description("Provider token refreshes by outcome")
                .tag("outcome", outcome).tag("provider", provider == null ? "unknown" : provider)
                .register(meters).increment();
    }

    TokenRefresher(ConnectionRepository connections, CatalogService catalog, ProviderClient providers,
            TokenCipher cipher, ConnectionEvents events, AuditLog audit, PlatformTransactionManager transactions,
            Clock clock, ConnectionsProperties properties, MeterRegistry meters) {
        this.meters = meters;
        this.connections = connections;
        this.catalog = catalog;
        this.providers = providers;
        this.cipher = cipher;
        this.events = events;
        this.audit = audit;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
        this.properties = properties;
    }

    /** Refreshes now unless someone else did since {@code requestedAt}; blocks while another refresh runs. */
    public Result refresh(UUID connectionId, Instant requestedAt, Actor actor) {
        return run(connectionId, actor, "token.refresh",
                () -> connections.lock(connectionId), c -> !refreshedSince(c, requestedAt));
    }

    /** Refreshes if the token expires before {@code threshold}; blocks while another refresh runs. */
    public Result refreshIfExpiring(UUID connectionId, Instant threshold, Instant requestedAt, Actor actor) {
        return run(connectionId, actor, "token.refresh",
                () -> connections.lock(connectionId),
                c -> !refreshedSince(c, requestedAt) && (c.tokenExpiresAt() == null
                        || c.tokenExpiresAt().isBefore(threshold)));
    }

    /** The scheduler's variant: skips a connection another instance is refreshing right now. */
    public Optional<Result> refreshDue(UUID connectionId, Instant threshold) {
        Result result = run(connectionId, Actor.SYSTEM, "token.auto_refresh",
                () -> connections.tryLockDue(connectionId, threshold), c -> true);
        return result == null ? Optional.empty() : Optional.of(result);
    }

    private boolean refreshedSince(Connection c, Instant requestedAt) {
        Instant last = c.lastRefreshedAt();
        return last != null && (!last.isBefore(requestedAt)
                || last.isAfter(clock.instant().minus(properties.refresh().minInterval())));
    }

    private @Nullable Result run(UUID connectionId, Actor actor, String action,
            java.util.function.Supplier<Optional<Connection>> locker, Predicate<Connection> needed) {
        String[] providerKey = {null};
        UUID[] consumer = {null};
        try {
            return tx.execute(status -> {
                Optional<Connection> locked = locker.get();
                if (locked.isEmpty()) {
                    return null;
                }
                Connection c = locked.get();
                providerKey[0] = c.providerKey();
                consumer[0] = c.consumerId();
                if (!Connection.ACTIVE.equals(c.status())) {
                    return new Result(c.status().equals(Connection.REAUTH_REQUIRED) ? Outcome.REAUTH_REQUIRED
                            : Outcome.NOT_ACTIVE, c);
                }
                if (!needed.test(c)) {
                    return new Result(Outcome.ALREADY_FRESH, c);
                }
                if (c.refreshTokenCiphertext() == null) {
                    return expireWithoutRefreshToken(c, actor, action);
                }
                Provider provider = catalog.get(c.providerKey());
                String refreshToken = cipher.decrypt(c.refreshTokenCiphertext(), Connection.refreshTokenAd(c.id()));
                TokenResponse tokens;
                try {
                    tokens = providers.refresh(provider, refreshToken);
                } catch (ProviderOAuthException e) {
                    if (e.invalidGrant()) {
                        return reauthRequired(c, actor, action, "invalid_grant");
                    }
                    throw e;
                }
                Instant now = clock.instant();
                Instant expiresAt = tokens.expiresIn() == null ? null : now.plusSeconds(tokens.expiresIn());
                // Rotation: a new refresh token replaces the old; none in the answer keeps the old one.
                String newRefresh = tokens.refreshToken() != null ? tokens.refreshToken() : refreshToken;
                connections.updateTokens(c.id(), cipher.encrypt(tokens.accessToken(), Connection.accessTokenAd(c.id())),
                        cipher.encrypt(newRefresh, Connection.refreshTokenAd(c.id())), tokens.tokenType(),
                        tokens.scope(), expiresAt, now);
                events.refreshed(c, expiresAt);
                audit.record(new AuditLog.Entry(actor.id(), actor.type(), action, "success", c.id(), c.providerKey(),
                        c.consumerId(), tokens.refreshToken() != null ? "refresh token rotated" : null));
                count("success", c.providerKey());
                return new Result(Outcome.REFRESHED, connections.findLive(c.id()).orElseThrow());
            });
        } catch (ProviderUnavailableException | ProviderOAuthException e) {
            log.warn("Refresh of connection {} failed: {}", connectionId, e.getMessage());
            count("failure", providerKey[0]);
            audit.record(new AuditLog.Entry(actor.id(), actor.type(), action, "failure", connectionId,
                    providerKey[0], consumer[0], e instanceof ProviderOAuthException oauth ? oauth.error()
                            : "provider unavailable"));
            throw new ApiException(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE,
                    com.clinicwave.platform.web.ProblemCodes.UPSTREAM_UNAVAILABLE,
                    "The provider is not available right now; try again later");
        }
    }

    private Result reauthRequired(Connection c, Actor actor, String action, String reason) {
        Instant now = clock.instant();
        connections.markReauthRequired(c.id(), reason, now);
        events.reauthRequired(c, reason);
        count("failure", c.providerKey());
        audit.record(new AuditLog.Entry(actor.id(), actor.type(), action, "reauth_required", c.id(), c.providerKey(),
                c.consumerId(), reason));
        return new Result(Outcome.REAUTH_REQUIRED, connections.findLive(c.id()).orElseThrow());
    }

    private Result expireWithoutRefreshToken(Connection c, Actor actor, String action) {
        if (c.tokenExpiresAt() != null && c.tokenExpiresAt().isAfter(clock.instant())) {
            return new Result(Outcome.ALREADY_FRESH, c);
        }
        return reauthRequired(c, actor, action, "no_refresh_token");
    }
}
