package com.clinicwave.auth.seed;

import com.clinicwave.auth.config.AuthProperties;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;

/**
 * The companion mobile app, a native public client (RFC 8252), registered with the demo data
 * ({@code clinicwave.auth.seed.enabled}: the local profile, tests) like {@code companion-web}.
 * <ul>
 * <li>Redirects: the app's private-use URI scheme ({@link #APP_REDIRECT}, matched exactly, RFC 8252 §7.1) and the
 * loopback interface on an IP literal, IPv4 or IPv6, path {@code /callback} ({@link #LOOPBACK_REDIRECTS}, §7.3): the
 * request may name any port, which Spring Authorization Server allows for loopback IP literals only; the path, query
 * and host must still match exactly, and {@code localhost} gets no port variance (§8.3).</li>
 * <li>No secret (a secret shipped in an app is no secret, §8.5): PKCE S256 is required, {@code plain} refused.</li>
 * <li>Refresh tokens rotate on every use and a replayed one revokes its family, as for every public client here
 * ({@code RotatingRefreshTokenGenerator}, {@code ReuseDetectingAuthorizationService}).</li>
 * <li>Consent is asked (once per set of scopes): another app can claim the same scheme or listen on the loopback
 * interface and pose as this client, so an existing browser session alone never hands it a code (§8.6).</li>
 * </ul>
 */
@Component
class NativeClientSeeder implements ApplicationRunner {

    static final String CLIENT_ID = "companion-mobile";
    static final String APP_REDIRECT = "com.clinicwave.companion:/oauth2redirect";
    static final List<String> LOOPBACK_REDIRECTS = List.of("http://127.0.0.1/callback", "http://[::1]/callback");

    private final RegisteredClientRepository clients;
    private final AuthProperties properties;

    NativeClientSeeder(RegisteredClientRepository clients, AuthProperties properties) {
        this.clients = clients;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!properties.seed().enabled()) {
            return;
        }
        RegisteredClient existing = clients.findByClientId(CLIENT_ID);
        clients.save(RegisteredClient.withId(existing == null ? UUID.randomUUID().toString() : existing.getId())
                .clientId(CLIENT_ID)
                .clientName("ClinicWave Companion for mobile")
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .redirectUri(APP_REDIRECT)
                .redirectUris(uris -> uris.addAll(LOOPBACK_REDIRECTS))
                .scopes(scopes -> {
                    scopes.addAll(List.of("openid", "profile", "email", "offline_access"));
                    scopes.addAll(IdentitySeeder.PATIENT);
                })
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(true).build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenTimeToLive(properties.accessTokenTtl())
                        .authorizationCodeTimeToLive(Duration.ofMinutes(5))
                        .refreshTokenTimeToLive(properties.refreshTokenAbsoluteLifetime())
                        .reuseRefreshTokens(false)
                        .build())
                .build());
    }
}
