package com.clinicwave.auth.oauth;

import com.clinicwave.auth.user.UserAccount;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * OAuth clients that belong to a tenant (registered by its administrators through {@code /api/v1/admin/clients}) carry
 * their tenant in the client settings, and may be disabled. Enforced whenever a token is minted (authorization code,
 * refresh, client credentials):
 * <ul>
 * <li>a disabled client, or a client of a disabled tenant, gets no token ({@code invalid_client}) and no
 * authorization code: the authorization endpoint answers 400 without redirecting ({@link #authorizationRequests});</li>
 * <li>a tenant's client never gets a token for a user of another tenant ({@code invalid_grant}): it cannot collect
 * other tenants' users through the shared sign-in;</li>
 * <li>no client gets a token for a disabled user (a disabled tenant's users are disabled), nor a new authorization
 * code exchange for a locked one.</li>
 * </ul>
 * A tenant's service client's tokens carry the tenant ({@code tid}, {@code tenant}) like a user's.
 */
public final class TenantClients {

    public static final String TENANT_ID = "settings.client.clinicwave.tenant-id";
    public static final String TENANT_KEY = "settings.client.clinicwave.tenant";
    public static final String DISABLED = "settings.client.clinicwave.disabled";
    /**
     * A tenant's service client's current token generation: the {@code sid} of its client-credentials tokens, denied
     * (like a user's session) when the client or its tenant is disabled, then replaced by a new one.
     */
    public static final String TOKEN_GENERATION = "settings.client.clinicwave.token-generation";

    private TenantClients() {
    }

    public static @Nullable String tenantId(RegisteredClient client) {
        Object value = client.getClientSettings().getSettings().get(TENANT_ID);
        return value == null ? null : value.toString();
    }

    public static @Nullable String tenantKey(RegisteredClient client) {
        Object value = client.getClientSettings().getSettings().get(TENANT_KEY);
        return value == null ? null : value.toString();
    }

    /** The {@code sid} of the client's client-credentials tokens (its id for a client registered before generations). */
    public static String tokenGeneration(RegisteredClient client) {
        Object value = client.getClientSettings().getSettings().get(TOKEN_GENERATION);
        return value == null ? client.getId() : value.toString();
    }

    public static boolean disabled(RegisteredClient client) {
        return Boolean.TRUE.equals(client.getClientSettings().getSettings().get(DISABLED));
    }

    /** Whether the client may be used at all: not disabled, and its tenant (if any) enabled. */
    static boolean usable(RegisteredClient client, Predicate<UUID> tenantEnabled) {
        String tenant = tenantId(client);
        return !disabled(client) && (tenant == null || tenantEnabled.test(UUID.fromString(tenant)));
    }

    /**
     * Checks of the authorization endpoint after Spring Authorization Server's own: a disabled client (or one of a
     * disabled tenant) is refused with 400 and no redirect, like an unknown client (RFC 6749 §4.1.2.1).
     */
    static Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> authorizationRequests(
            Predicate<UUID> tenantEnabled) {
        return new OAuth2AuthorizationCodeRequestAuthenticationValidator().andThen(context -> {
            if (!usable(context.getRegisteredClient(), tenantEnabled)) {
                throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(
                        OAuth2ErrorCodes.INVALID_CLIENT, "The client is disabled", null), null);
            }
        });
    }

    static void enforce(RegisteredClient client, @Nullable UserAccount user, @Nullable AuthorizationGrantType grant,
            Instant now, Predicate<UUID> tenantEnabled) {
        if (!usable(client, tenantEnabled)) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                    "The client is disabled", null));
        }
        if (user == null) {
            return;
        }
        String tenant = tenantId(client);
        if (tenant != null && !Objects.equals(UUID.fromString(tenant), user.tenantId())) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                    "The user does not belong to the client's tenant", null));
        }
        if (!user.enabled() || AuthorizationGrantType.AUTHORIZATION_CODE.equals(grant) && user.lockedAt(now)) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                    "The account cannot sign in", null));
        }
    }
}
