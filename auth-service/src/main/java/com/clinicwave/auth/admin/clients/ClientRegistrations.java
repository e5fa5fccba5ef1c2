package com.clinicwave.auth.admin.clients;

import com.clinicwave.auth.admin.LiveTokens;
import com.clinicwave.auth.config.AuthProperties;
import com.clinicwave.auth.config.SecretHashEncoder;
import com.clinicwave.auth.oauth.InternalClients;
import com.clinicwave.auth.oauth.TenantClients;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Service;

/**
 * OAuth clients owned by a tenant: stored in Spring Authorization Server's {@code oauth2_registered_client} (secrets as
 * salted SHA-256, {@code {sha256}}, never the value) plus a {@code tenant_client} row saying whose it is. Every lookup
 * is by (tenant, client id): another tenant's client is not found.
 */
@Service
public class ClientRegistrations {

    /** The three kinds of client a tenant may register. */
    public enum Type {
        SPA, NATIVE, SERVICE;

        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A tenant's client as its administrators see it (never a secret). */
    public record Client(String clientId, String name, String type, boolean enabled, List<String> redirectUris,
            List<String> postLogoutRedirectUris, List<String> scopes, Instant createdAt, @Nullable String createdBy,
            @Nullable Instant secretRotatedAt, @Nullable Instant disabledAt) {
    }

    /** A registered client and, for a service client, its secret (shown once). */
    public record Registered(Client client, @Nullable String clientSecret) {
    }

    static final List<String> OIDC_SCOPES = List.of("openid", "profile", "email", "offline_access");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RegisteredClientRepository clients;
    /**
     * The table itself, not the 30-second cache: a change is made to the client as stored, never to a copy this
     * replica cached before another replica rotated the secret or disabled the client (it would write it back).
     */
    private final RegisteredClientRepository stored;
    private final JdbcClient jdbc;
    private final AuthProperties properties;
    private final LiveTokens liveTokens;

    ClientRegistrations(RegisteredClientRepository clients, JdbcTemplate jdbcTemplate, JdbcClient jdbc,
            AuthProperties properties, LiveTokens liveTokens) {
        this.clients = clients;
        this.stored = new JdbcRegisteredClientRepository(jdbcTemplate);
        this.jdbc = jdbc;
        this.properties = properties;
        this.liveTokens = liveTokens;
    }

    public Registered register(UUID tenantId, String tenantKey, Type type, String name, List<String> redirectUris,
            List<String> postLogoutRedirectUris, Set<String> scopes, String createdBy) {
        String clientId = tenantKey + "-" + HexFormat.of().formatHex(random(6));
        String secret = type == Type.SERVICE ? "cws_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random(32))
                : null;
        RegisteredClient.Builder builder = RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(clientId)
                .clientName(name)
                .scopes(s -> s.addAll(scopes))
                .clientSettings(settings(type, tenantId, tenantKey, false, UUID.randomUUID().toString()))
                .tokenSettings(TokenSettings.builder()
                        .accessTokenTimeToLive(properties.accessTokenTtl())
                        .authorizationCodeTimeToLive(Duration.ofMinutes(5))
                        .refreshTokenTimeToLive(properties.refreshTokenAbsoluteLifetime())
                        .reuseRefreshTokens(false)
                        .build());
        if (type == Type.SERVICE) {
            builder.clientSecret(hash(secret))
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                    .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS);
        } else {
            builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                    .redirectUris(u -> u.addAll(redirectUris))
                    .postLogoutRedirectUris(u -> u.addAll(postLogoutRedirectUris));
        }
        clients.save(builder.build());
        jdbc.sql("insert into tenant_client (client_id, tenant_id, client_type, created_by) values (?, ?, ?, ?)")
                .params(clientId, tenantId, type.value(), createdBy).update();
        return new Registered(find(tenantId, clientId).orElseThrow(), secret);
    }

    public List<Client> list(UUID tenantId, int page, int size) {
        return jdbc.sql("select client_id from tenant_client where tenant_id = ? order by created_at, client_id limit ? offset ?")
                .params(tenantId, size, (long) page * size).query(String.class).list().stream()
                .map(id -> find(tenantId, id)).flatMap(Optional::stream).toList();
    }

    public long count(UUID tenantId) {
        return jdbc.sql("select count(*) from tenant_client where tenant_id = ?").param(tenantId).query(Long.class).single();
    }

    public Optional<Client> find(UUID tenantId, String clientId) {
        record Row(String type, boolean enabled, Instant createdAt, @Nullable String createdBy, @Nullable Instant rotated,
                @Nullable Instant disabledAt) {
        }
        Optional<Row> row = jdbc.sql("""
                select client_type, enabled, created_at, created_by, secret_rotated_at, disabled_at from tenant_client
                where tenant_id = ? and client_id = ?
                """).params(tenantId, clientId).query((rs, i) -> new Row(rs.getString(1), rs.getBoolean(2),
                        rs.getTimestamp(3).toInstant(), rs.getString(4), instant(rs.getTimestamp(5)),
                        instant(rs.getTimestamp(6)))).optional();
        if (row.isEmpty()) {
            return Optional.empty();
        }
        RegisteredClient client = stored.findByClientId(clientId);
        if (client == null) {
            return Optional.empty();
        }
        Row r = row.get();
        return Optional.of(new Client(clientId, client.getClientName(), r.type(), r.enabled(),
                client.getRedirectUris().stream().sorted().toList(),
                client.getPostLogoutRedirectUris().stream().sorted().toList(), client.getScopes().stream().sorted().toList(),
                r.createdAt(), r.createdBy(), r.rotated(), r.disabledAt()));
    }

    /** A new secret for a service client (the old one stops working at once on this replica, within 30 s on others). */
    public String rotateSecret(UUID tenantId, String clientId) {
        RegisteredClient client = lockAndLoad(tenantId, clientId);
        String secret = "cws_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
        clients.save(RegisteredClient.from(client).clientSecret(hash(secret)).build());
        jdbc.sql("update tenant_client set secret_rotated_at = now() where tenant_id = ? and client_id = ?")
                .params(tenantId, clientId).update();
        return secret;
    }

    /** Disables (no token of any grant) or enables the client; disabling revokes every authorization it holds. */
    public int setEnabled(UUID tenantId, String tenantKey, String clientId, boolean enabled) {
        RegisteredClient client = lockAndLoad(tenantId, clientId);
        Type type = Type.valueOf(jdbc.sql("select client_type from tenant_client where client_id = ?").param(clientId)
                .query(String.class).single().toUpperCase(java.util.Locale.ROOT));
        clients.save(RegisteredClient.from(client).clientSettings(settings(type, tenantId, tenantKey, !enabled,
                UUID.randomUUID().toString())).build());
        jdbc.sql("update tenant_client set enabled = ?, disabled_at = ? where tenant_id = ? and client_id = ?")
                .params(enabled, enabled ? null : Timestamp.from(Instant.now()), tenantId, clientId).update();
        if (enabled) {
            return 0;
        }
        return liveTokens.revokeClient(client.getId(), tenantId.toString())
                + (type == Type.SERVICE ? endServiceTokens(client, tenantId) : 0);
    }

    /**
     * Ends the live client-credentials tokens of every service client of a tenant being disabled (its clients stay
     * as they are: they work again when the tenant is enabled). Answers how many clients' tokens were ended.
     */
    public int endServiceTokens(UUID tenantId) {
        List<String> ids = jdbc.sql("select client_id from tenant_client where tenant_id = ? and client_type = 'service'")
                .param(tenantId).query(String.class).list();
        for (String clientId : ids) {
            RegisteredClient client = lockAndLoad(tenantId, clientId);
            clients.save(RegisteredClient.from(client).clientSettings(ClientSettings.withSettings(
                    client.getClientSettings().getSettings()).setting(TenantClients.TOKEN_GENERATION,
                    UUID.randomUUID().toString()).build()).build());
            endServiceTokens(client, tenantId);
        }
        return ids.size();
    }

    /** Denies the sid of the client's current token generation (the caller saved a new one). */
    private int endServiceTokens(RegisteredClient client, UUID tenantId) {
        liveTokens.revokeServiceTokens(TenantClients.tokenGeneration(client), client.getClientId(), tenantId.toString());
        return 1;
    }

    /**
     * The client as stored, its {@code tenant_client} row locked until the caller's transaction ends: two changes at
     * once (a rotation and a disable, on two replicas) are applied one after the other, neither lost.
     */
    private RegisteredClient lockAndLoad(UUID tenantId, String clientId) {
        jdbc.sql("select client_id from tenant_client where tenant_id = ? and client_id = ? for update")
                .params(tenantId, clientId).query(String.class).single();
        return java.util.Objects.requireNonNull(stored.findByClientId(clientId), clientId);
    }

    private static ClientSettings settings(Type type, UUID tenantId, String tenantKey, boolean disabled,
            String tokenGeneration) {
        ClientSettings.Builder settings = ClientSettings.builder()
                .requireAuthorizationConsent(false)
                .setting(InternalClients.SETTING, false)
                .setting(TenantClients.TENANT_ID, tenantId.toString())
                .setting(TenantClients.TENANT_KEY, tenantKey)
                .setting(TenantClients.DISABLED, disabled)
                .setting(TenantClients.TOKEN_GENERATION, tokenGeneration);
        if (type != Type.SERVICE) {
            settings.requireProofKey(true);
        }
        return settings.build();
    }

    private static String hash(String secret) {
        return "{" + SecretHashEncoder.ID + "}" + new SecretHashEncoder().encode(secret);
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
