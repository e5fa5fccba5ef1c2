package com.clinicwave.auth.admin;

import com.clinicwave.auth.config.AuthProperties;
import com.clinicwave.auth.events.AuthEvents;
import com.clinicwave.auth.session.Sessions;
import com.clinicwave.auth.token.RevokedTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Ends every live token of a user or of an OAuth client at once, through the existing revocation paths: each
 * first-party session and each OAuth authorization (refresh family) is removed, its {@code sid} denied until its access
 * tokens expire (every replica of this service and of the gateway refuses them within a Redis round trip), and
 * {@code session.revoked} is published through the outbox. For a user, every token issued before now is denied too
 * ({@link RevokedTokens#revokeSubject}): API keys' exchanged tokens name no session.
 */
@Component
public class LiveTokens {

    private final Sessions sessions;
    private final JdbcClient jdbc;
    private final RevokedTokens revoked;
    private final AuthEvents events;
    private final AuthProperties properties;
    private final Clock clock;

    LiveTokens(Sessions sessions, JdbcClient jdbc, RevokedTokens revoked, AuthEvents events, AuthProperties properties,
            Clock clock) {
        this.sessions = sessions;
        this.jdbc = jdbc;
        this.revoked = revoked;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Revokes the user's first-party sessions and OAuth authorizations, and every token of the user issued until now
     * ({@code sub:} not-before, which also ends the gateway's exchanged tokens of the user's API keys: they are
     * exchanged again with the user's roles and state of now); answers how many sessions were ended.
     */
    public int revokeUser(UUID userId, UUID tenantId) {
        Instant now = clock.instant();
        Duration longest = properties.accessTokenTtl().compareTo(properties.apiKeyTokenTtl()) >= 0
                ? properties.accessTokenTtl() : properties.apiKeyTokenTtl();
        revoked.revokeSubject(userId.toString(), now, now.plus(longest));
        int ended = sessions.listFor(userId).size();
        sessions.revokeAllFor(userId);
        List<String> authorizations = jdbc.sql("select id from oauth2_authorization where principal_name = ?")
                .param(userId.toString()).query(String.class).list();
        endAuthorizations(authorizations, userId.toString(), tenantId.toString());
        return ended + authorizations.size();
    }

    /** Revokes every OAuth authorization issued to a client (its users' and its own tokens). */
    public int revokeClient(String registeredClientId, String tenantId) {
        List<String[]> rows = jdbc.sql("select id, principal_name from oauth2_authorization where registered_client_id = ?")
                .param(registeredClientId).query((rs, i) -> new String[] {rs.getString(1), rs.getString(2)}).list();
        for (String[] row : rows) {
            endAuthorizations(List.of(row[0]), row[1], tenantId);
        }
        return rows.size();
    }

    /**
     * Ends a tenant service client's live client-credentials tokens (stateless, not in the store): their {@code sid},
     * the client's token generation, is denied until they expire.
     */
    public void revokeServiceTokens(String generation, String clientId, String tenantId) {
        Instant until = clock.instant().plus(properties.accessTokenTtl());
        revoked.revokeSession(generation, until);
        events.sessionRevoked(generation, clientId, tenantId, until);
    }

    private void endAuthorizations(List<String> ids, String principal, String tenantId) {
        Instant until = clock.instant().plus(properties.accessTokenTtl());
        for (String id : ids) {
            jdbc.sql("delete from oauth2_authorization where id = ?").param(id).update();
            revoked.revokeSession(id, until);
            events.sessionRevoked(id, principal, tenantId, until);
        }
    }
}
