package com.clinicwave.auth.seed;

import com.clinicwave.auth.config.AuthProperties;
import com.clinicwave.auth.config.SecretHashEncoder;
import com.clinicwave.auth.oauth.InternalClients;
import com.clinicwave.auth.tenant.Tenant;
import com.clinicwave.auth.tenant.TenantRepository;
import com.clinicwave.auth.user.RoleRepository;
import com.clinicwave.auth.user.UserRepository;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reference and demo data. Always: the default tenant with its roles. With {@code clinicwave.auth.seed.enabled}
 * (the local profile, tests): tenant {@code abott}, users demo/admin, clients companion-web and demo-service. The
 * suite's service clients (gateway, athena-service, claims-service) are registered from their configured secrets.
 */
@Component
class IdentitySeeder implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(IdentitySeeder.class);

    static final List<String> PATIENT = com.clinicwave.auth.tenant.TenantRoles.PATIENT;
    static final List<String> TENANT_ADMIN = com.clinicwave.auth.tenant.TenantRoles.TENANT_ADMIN;

    private final TenantRepository tenants;
    private final RoleRepository roles;
    private final UserRepository users;
    private final RegisteredClientRepository clients;
    private final PasswordEncoder passwords;
    private final AuthProperties properties;
    private final TransactionTemplate tx;
    private final com.clinicwave.auth.tenant.TenantAdministration domains;

    IdentitySeeder(TenantRepository tenants, RoleRepository roles, UserRepository users,
            RegisteredClientRepository clients, PasswordEncoder passwords, AuthProperties properties,
            TransactionTemplate tx, com.clinicwave.auth.tenant.TenantAdministration domains) {
        this.domains = domains;
        this.tenants = tenants;
        this.roles = roles;
        this.users = users;
        this.clients = clients;
        this.passwords = passwords;
        this.properties = properties;
        this.tx = tx;
    }

    @Override
    public void run(ApplicationArguments args) {
        tx.executeWithoutResult(s -> {
            Tenant main = tenant(properties.defaultTenant(), "ClinicWave");
            if (properties.seed().enabled()) {
                Tenant abott = tenant("abott", "Abott Clinics");
                user(main, "demo", "demo-password-1", "demo@clinicwave.test", "patient");
                user(main, "admin", "admin-password-1", "admin@clinicwave.test", "tenant_admin");
                user(abott, "demo", "abott-password-1", "demo@abott.test", "patient");
                user(abott, "admin", "abott-admin-password-1", "admin@abott.test", "tenant_admin");
                // Issue 16: each demo tenant answers to its own local domain (sign-in page, login, registration).
                domains.addDomainIfAbsent(main.id(), "clinicwave.localhost");
                domains.addDomainIfAbsent(abott.id(), "abott.localhost");
            }
        });
        if (properties.seed().enabled()) {
            publicClient("companion-web", "ClinicWave Companion", properties.seed().companionRedirectUris(),
                    properties.seed().companionPostLogoutRedirectUris());
            // A third party's service client: public audience, may come through the gateway.
            serviceClient("demo-service", properties.seed().demoServiceSecret(), Set.of("connections:read", "claims:read"),
                    false);
        }
        // The suite's own service clients exist in every environment; their secrets come from configuration.
        AuthProperties.Seed seed = properties.seed();
        // They are internal (InternalClients): tokens with audience clinicwave-internal only, never through the gateway.
        // Each gets the exact scopes it uses: claims-service reads athenahealth claims (athena:claims:read) and
        // nothing else of athena-service.
        serviceClient("gateway", seed.gatewaySecret(), Set.of("apikeys:exchange"), true);
        serviceClient("athena-service", seed.athenaServiceSecret(), Set.of("connections:token"), true);
        serviceClient("claims-service", seed.claimsServiceSecret(), Set.of("connections:token", "athena:claims:read"),
                true);
        // Operators' client for /internal/signing-keys; only where a secret is configured (PLATFORM_OPS_CLIENT_SECRET).
        serviceClient("platform-ops", seed.platformOpsSecret(), Set.of("signing-keys:admin"), true);
    }

    private Tenant tenant(String key, String name) {
        Tenant tenant = tenants.findByKey(key).orElseGet(() -> tenants.create(key, name, true));
        if (roles.find(tenant.id(), "patient").isEmpty()) {
            roles.create(tenant.id(), "patient", "A patient using the companion apps", PATIENT);
        }
        if (roles.find(tenant.id(), "tenant_admin").isEmpty()) {
            roles.create(tenant.id(), "tenant_admin", "Administers the tenant", TENANT_ADMIN);
        }
        return tenant;
    }

    private void user(Tenant tenant, String username, String password, String email, String role) {
        if (users.findByUsername(tenant.id(), username).isEmpty()) {
            var user = users.create(tenant.id(), username, email, passwords.encode(password));
            roles.grant(user.id(), roles.find(tenant.id(), role).orElseThrow().id());
            users.markEmailVerified(user.id());
        }
    }

    private void publicClient(String clientId, String name, List<String> redirects, List<String> postLogoutRedirects) {
        RegisteredClient existing = clients.findByClientId(clientId);
        RegisteredClient.Builder builder = RegisteredClient.withId(existing == null ? UUID.randomUUID().toString()
                        : existing.getId())
                .clientId(clientId)
                .clientName(name)
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .redirectUris(uris -> uris.addAll(redirects))
                .postLogoutRedirectUris(uris -> uris.addAll(postLogoutRedirects))
                .scopes(scopes -> {
                    scopes.addAll(List.of("openid", "profile", "email", "offline_access"));
                    scopes.addAll(PATIENT);
                })
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
                .tokenSettings(tokenSettings());
        clients.save(builder.build());
    }

    private void serviceClient(String clientId, @Nullable String secret, Set<String> scopes, boolean internal) {
        if (secret == null || secret.isBlank()) {
            log.info("OAuth client {} not registered: no secret configured", clientId);
            return;
        }
        RegisteredClient existing = clients.findByClientId(clientId);
        clients.save(RegisteredClient.withId(existing == null ? UUID.randomUUID().toString() : existing.getId())
                .clientId(clientId)
                .clientName(clientId)
                .clientSecret("{" + SecretHashEncoder.ID + "}" + new SecretHashEncoder().encode(secret))
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scopes(s -> s.addAll(scopes))
                .clientSettings(ClientSettings.builder().setting(InternalClients.SETTING, internal).build())
                .tokenSettings(tokenSettings())
                .build());
    }

    private TokenSettings tokenSettings() {
        return TokenSettings.builder()
                .accessTokenTimeToLive(properties.accessTokenTtl())
                .authorizationCodeTimeToLive(Duration.ofMinutes(5))
                .refreshTokenTimeToLive(properties.refreshTokenAbsoluteLifetime())
                .reuseRefreshTokens(false)
                .build();
    }
}
