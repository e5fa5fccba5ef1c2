package com.clinicwave.connections.connection;

import com.clinicwave.connections.audit.Actor;
import com.clinicwave.connections.audit.AuditLog;
import com.clinicwave.connections.catalog.CatalogService;
import com.clinicwave.connections.catalog.Provider;
import com.clinicwave.connections.crypto.TokenCipher;
import com.clinicwave.connections.provider.ProviderClient;
import com.clinicwave.connections.provider.ProviderOAuthException;
import com.clinicwave.connections.provider.ProviderUnavailableException;
import com.clinicwave.platform.security.Caller;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The consumer-facing and service-facing operations on connections, with ownership checks and auditing. */
@Service
public class ConnectionService {

    private static final Logger log = LoggerFactory.getLogger(ConnectionService.class);

    public static final String REAUTH_REQUIRED = "REAUTH_REQUIRED";
    /** An access token handed to a service must stay valid at least this long, else it is refreshed first. */
    private static final Duration HANDOUT_MARGIN = Duration.ofSeconds(60);

    private final ConnectionRepository connections;
    private final CatalogService catalog;
    private final ProviderClient providers;
    private final TokenCipher cipher;
    private final TokenRefresher refresher;
    private final ConnectionEvents events;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    ConnectionService(ConnectionRepository connections, CatalogService catalog, ProviderClient providers,
            TokenCipher cipher, TokenRefresher refresher, ConnectionEvents events, AuditLog audit,
            PlatformTransactionManager transactions, Clock clock) {
        this.connections = connections;
        this.catalog = catalog;
        this.providers = providers;
        this.cipher = cipher;
        this.refresher = refresher;
        this.events = events;
        this.audit = audit;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    public static boolean isAdmin(Caller caller) {
        return caller.has("connections:admin");
    }

    public List<Connection> mine(Caller caller) {
        return connections.findByConsumer(UUID.fromString(caller.subject()));
    }

    /** The caller's connection, or (for a tenant admin) one of the tenant's; anything else is "not found". */
    public Connection owned(UUID id, Caller caller) {
        Connection c = connections.findLive(id).orElseThrow(() -> ApiException.notFound("Connection"));
        boolean owner = c.consumerId().toString().equals(caller.subject());
        boolean tenantAdmin = isAdmin(caller) && caller.tenantId() != null && c.tenantId() != null
                && caller.tenantId().equals(c.tenantId().toString());
        if (!owner && !tenantAdmin) {
            throw ApiException.notFound("Connection");
        }
        return c;
    }

    /** The consumer's explicit refresh; concurrent requests coalesce into one provider call. */
    public Connection refresh(UUID id, Caller caller) {
        Instant requestedAt = clock.instant();
        owned(id, caller);
        TokenRefresher.Result result = refresher.refresh(id, requestedAt, Actor.of(caller, isAdmin(caller)));
        if (result == null) {
            throw ApiException.notFound("Connection");
        }
        requireUsable(result.connection());
        return result.connection();
    }

    /** Revokes the grant at the provider, destroys the tokens, marks the connection revoked and tells the world. */
    public void delete(UUID id, Caller caller) {
        owned(id, caller);
        Actor actor = Actor.of(caller, isAdmin(caller));
        try {
            tx.executeWithoutResult(status -> {
                Connection c = connections.lock(id).orElseThrow(() -> ApiException.notFound("Connection"));
                revokeAtProvider(c);
                connections.markRevoked(c.id(), clock.instant());
                events.deleted(c);
                audit.record(new AuditLog.Entry(actor.id(), actor.type(), "connection.deleted", "success", c.id(),
                        c.providerKey(), c.consumerId(), null));
            });
        } catch (ProviderUnavailableException e) {
            log.warn("Revocation for connection {} failed: {}", id, e.getMessage());
            audit.record(new AuditLog.Entry(actor.id(), actor.type(), "connection.deleted", "failure", id, null, null,
                    "provider unavailable"));
            throw unavailable();
        }
    }

    private void revokeAtProvider(Connection c) {
        if (c.accessTokenCiphertext() == null && c.refreshTokenCiphertext() == null) {
            return;
        }
        Provider provider = catalog.get(c.providerKey());
        try {
            // The refresh token first: revoking it revokes the grant, and usually its access tokens with it.
            if (c.refreshTokenCiphertext() != null) {
                providers.revoke(provider, cipher.decrypt(c.refreshTokenCiphertext(),
                        Connection.refreshTokenAd(c.id())), "refresh_token");
            }
            if (c.accessTokenCiphertext() != null) {
                providers.revoke(provider, cipher.decrypt(c.accessTokenCiphertext(),
                        Connection.accessTokenAd(c.id())), "access_token");
            }
        } catch (ProviderOAuthException e) {
            // The provider refuses to revoke a token it no longer knows: nothing left to revoke there.
            log.info("Provider {} declined revocation for {}: {}", c.providerKey(), c.id(), e.error());
        }
    }

    public record AccessToken(Connection connection, String accessToken, Provider provider) {
    }

    /** For athena-service and claims-service: the current access token, refreshed first when about to expire. */
    public AccessToken accessToken(UUID id, boolean forceRefresh, Caller caller) {
        Instant now = clock.instant();
        Actor actor = Actor.of(caller, false);
        Connection c = connections.findLive(id).orElse(null);
        if (c == null) {
            audit.record(new AuditLog.Entry(actor.id(), actor.type(), "token.read", "not_found", id, null, null, null));
            throw ApiException.notFound("Connection");
        }
        try {
            requireUsable(c);
            TokenRefresher.Result result = forceRefresh
                    ? refresher.refresh(id, now, actor)
                    : c.tokenExpiresAt() != null && c.tokenExpiresAt().isBefore(now.plus(HANDOUT_MARGIN))
                            ? refresher.refreshIfExpiring(id, now.plus(HANDOUT_MARGIN), now, actor)
                            : new TokenRefresher.Result(TokenRefresher.Outcome.ALREADY_FRESH, c);
            if (result == null) {
                throw ApiException.notFound("Connection");
            }
            c = result.connection();
            requireUsable(c);
            String token = cipher.decrypt(Objects.requireNonNull(c.accessTokenCiphertext()),
                    Connection.accessTokenAd(c.id()));
            audit.record(new AuditLog.Entry(actor.id(), actor.type(), "token.read", "success", c.id(), c.providerKey(),
                    c.consumerId(), forceRefresh ? "force_refresh" : null));
            return new AccessToken(c, token, catalog.get(c.providerKey()));
        } catch (ApiException e) {
            if (!"UPSTREAM_UNAVAILABLE".equals(e.code())) {
                audit.record(new AuditLog.Entry(actor.id(), actor.type(), "token.read", e.code().toLowerCase(), id,
                        c.providerKey(), c.consumerId(), null));
            }
            throw e;
        }
    }

    /** The connection's owner and status, for services; audited. */
    public Connection describe(UUID id, Caller caller) {
        Actor actor = Actor.of(caller, false);
        Connection c = connections.findLive(id).orElse(null);
        audit.record(new AuditLog.Entry(actor.id(), actor.type(), "connection.read", c == null ? "not_found" : "success",
                id, c == null ? null : c.providerKey(), c == null ? null : c.consumerId(), null));
        if (c == null) {
            throw ApiException.notFound("Connection");
        }
        return c;
    }

    private static void requireUsable(Connection c) {
        if (!Connection.ACTIVE.equals(c.status()) || c.accessTokenCiphertext() == null) {
            throw new ApiException(HttpStatus.CONFLICT, REAUTH_REQUIRED,
                    "The connection must be re-authorized by its owner");
        }
    }

    static ApiException unavailable() {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE,
                "The provider is not available right now; try again later");
    }
}
