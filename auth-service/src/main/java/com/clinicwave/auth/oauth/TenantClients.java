package com.clinicwave.auth.oauth;

import com.clinicwave.auth.user.UserAccount;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * OAuth clients that belong to a tenant (registered by its administrators through {@code /api/v1/admin/clients}) carry
 * their tenant in the client settings, and may be disabled. Enforced whenever a token is minted (authorization code,
 * refresh, client credentials):
 * <ul>
 * <li>a disabled client gets no token ({@code invalid_client});</li>
 * <li>a tenant's client never gets a token for a user of another tenant ({@code invalid_grant}): it cannot collect
 * other tenants' users through the shared sign-in;</li>
 * <li>no client gets a token for a disabled user, nor a new authorization code exchange for a locked one.</li>
 * </ul>
 * A tenant's service client's tokens carry the tenant ({@code tid}, {@code tenant}) like a user's.
 */
public final class TenantClients {

    public static final String TENANT_ID = "settings.client.clinicwave.tenant-id";
    public static final String TENANT_KEY = "settings.client.clinicwave.tenant";
    public static final String DISABLED = "settings.client.clinicwave.disabled";

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

    public static boolean disabled(RegisteredClient client) {
        return Boolean.TRUE.equals(client.getClientSettings().getSettings().get(DISABLED));
    }

    static void enforce(RegisteredClient client, @Nullable UserAccount user, @Nullable AuthorizationGrantType grant,
            Instant now) {
        if (disabled(client)) {
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
