package com.clinicwave.connections.oauth;

import com.clinicwave.connections.audit.Actor;
import com.clinicwave.connections.audit.AuditLog;
import com.clinicwave.connections.audit.AuditLog.ActorType;
import com.clinicwave.connections.catalog.CatalogService;
import com.clinicwave.connections.catalog.Provider;
import com.clinicwave.connections.catalog.Terms;
import com.clinicwave.connections.catalog.TermsRepository;
import com.clinicwave.connections.config.ConnectionsProperties;
import com.clinicwave.connections.connection.Connection;
import com.clinicwave.connections.connection.ConnectionEvents;
import com.clinicwave.connections.connection.ConnectionRepository;
import com.clinicwave.connections.crypto.TokenCipher;
import com.clinicwave.connections.provider.ProviderClient;
import com.clinicwave.connections.provider.ProviderOAuthException;
import com.clinicwave.connections.provider.ProviderUnavailableException;
import com.clinicwave.connections.provider.TokenResponse;
import com.clinicwave.platform.security.Caller;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The connect flow: initiate (authorization URL with a single-use expiring state bound to the consumer, PKCE S256,
 * SMART parameters) and callback (state, RFC 9207 issuer, consent outcome, code exchange with the provider's client
 * authentication, the connection stored with its tokens encrypted).
 */
@Service
public class OAuthFlowService {

    private static final Logger log = LoggerFactory.getLogger(OAuthFlowService.class);

    public static final String STATE_INVALID = "OAUTH_STATE_INVALID";
    public static final String DENIED = "OAUTH_AUTHORIZATION_DENIED";
    public static final String FAILED = "OAUTH_AUTHORIZATION_FAILED";
    public static final String ISSUER_MISMATCH = "OAUTH_ISSUER_MISMATCH";
    public static final String REDIRECT_NOT_ALLOWED = "REDIRECT_URL_NOT_ALLOWED";
    public static final String TERMS_MISMATCH = "TERMS_VERSION_MISMATCH";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CatalogService catalog;
    private final TermsRepository terms;
    private final OAuthStateStore states;
    private final RedirectAllowList allowList;
    private final ProviderClient providers;
    private final ConnectionRepository connections;
    private final ConnectionEvents events;
    private final TokenCipher cipher;
    private final AuditLog audit;
    private final ConnectionsProperties properties;
    private final TransactionTemplate tx;
    private final Clock clock;

    OAuthFlowService(CatalogService catalog, TermsRepository terms, OAuthStateStore states, RedirectAllowList allowList,
            ProviderClient providers, ConnectionRepository connections, ConnectionEvents events, TokenCipher cipher,
            AuditLog audit, ConnectionsProperties properties, PlatformTransactionManager transactions, Clock clock) {
        this.catalog = catalog;
        this.terms = terms;
        this.states = states;
        this.allowList = allowList;
        this.providers = providers;
        this.connections = connections;
        this.events = events;
        this.cipher = cipher;
        this.audit = audit;
        this.properties = properties;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    public record Initiated(String oauthUrl, String sessionToken, Instant expiresAt) {
    }

    public Initiated initiate(Caller caller, String providerKey, @Nullable UUID consumerId, String redirectUrl,
            @Nullable String acceptedTermsVersion) {
        boolean admin = caller.has("connections:admin");
        UUID consumer = consumerId != null ? consumerId : parseSubject(caller);
        if (!consumer.toString().equals(caller.subject()) && !admin) {
            throw ApiException.forbidden("A consumer can only connect their own accounts");
        }
        Actor actor = Actor.of(caller, admin && !consumer.toString().equals(caller.subject()));
        Provider provider = catalog.get(providerKey);
        if (!provider.active() || !provider.oauthEnabled()) {
            throw ApiException.conflict("PROVIDER_UNAVAILABLE", "This provider does not accept new connections");
        }
        if (!allowList.allows(redirectUrl)) {
            audit.record(new AuditLog.Entry(actor.id(), actor.type(), "oauth.initiate", "refused", null, providerKey,
                    consumer, "redirect_url not allowed"));
            throw ApiException.badRequest(REDIRECT_NOT_ALLOWED, "redirect_url is not on the allow-list");
        }
        String termsVersion = null;
        if (acceptedTermsVersion != null) {
            Optional<Terms> current = terms.active(providerKey);
            if (current.isEmpty() || !current.get().version().equals(acceptedTermsVersion)) {
                throw ApiException.conflict(TERMS_MISMATCH, "The accepted terms are not the provider's current terms");
            }
            termsVersion = acceptedTermsVersion;
        }
        UUID tenant = caller.tenantId() == null ? null : UUID.fromString(caller.tenantId());
        String state = random(32);
        String sessionToken = random(32);
        String verifier = random(32);
        Instant expiresAt = clock.instant().plus(properties.stateTtl());
        states.save(state, new OAuthState(consumer, tenant, caller.subject(), providerKey, redirectUrl, verifier,
                OAuthStateStore.sha256(sessionToken), termsVersion, expiresAt), properties.stateTtl());
        if (termsVersion != null) {
            terms.recordAcceptance(consumer, tenant, providerKey, termsVersion);
        }
        audit.record(new AuditLog.Entry(actor.id(), actor.type(), "oauth.initiate", "success", null, providerKey,
                consumer, termsVersion == null ? null : "terms " + termsVersion + " accepted"));
        return new Initiated(authorizationUrl(provider, state, verifier), sessionToken, expiresAt);
    }

    private String authorizationUrl(Provider provider, String state, String verifier) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", provider.clientId());
        params.put("redirect_uri", properties.callbackUrl());
        params.put("scope", provider.scopes());
        params.put("state", state);
        // PKCE S256 always: required by some providers, harmless for the others (RFC 9700 §2.1.1).
        params.put("code_challenge", s256(verifier));
        params.put("code_challenge_method", "S256");
        if (provider.fhir() && provider.fhirBaseUrl() != null) {
            // SMART App Launch: aud names the FHIR server the token is for.
            params.put("aud", provider.fhirBaseUrl());
        }
        params.putAll(provider.additionalParams());
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(provider.authorizationUrl());
        params.forEach((k, v) -> uri.queryParam(k, "{" + k + "}"));
        return uri.encode().buildAndExpand(params).toUriString();
    }

    /** The provider's redirect parameters, plus the session token when the client finishing the flow shows it. */
    public record CallbackParams(@Nullable String code, @Nullable String state, @Nullable String error,
            @Nullable String errorDescription, @Nullable String iss, @Nullable String sessionToken) {
    }

    /** The outcome of a callback; when the state was valid, {@code redirectUrl} is where the browser goes back. */
    public record CallbackOutcome(boolean success, @Nullable Connection connection, @Nullable String providerName,
            @Nullable String redirectUrl, @Nullable ApiException error) {
    }

    public CallbackOutcome callback(CallbackParams p, @Nullable Caller caller) {
        if (p.state() == null || p.state().isBlank() || p.state().length() > 512) {
            throw stateInvalid();
        }
        OAuthState state = states.consume(p.state()).orElse(null);
        if (state == null || state.expiresAt().isBefore(clock.instant())) {
            audit.record(new AuditLog.Entry(caller == null ? "anonymous" : caller.subject(), ActorType.consumer,
                    "oauth.callback", "refused", null, null, null, "unknown, used or expired state"));
            throw stateInvalid();
        }
        Actor actor = new Actor(state.consumerId().toString(), ActorType.consumer);
        if (caller != null && !caller.subject().equals(state.initiatedBy())) {
            // The state belongs to another user's authorization request.
            audit.record(new AuditLog.Entry(caller.subject(), ActorType.consumer, "oauth.callback", "refused", null,
                    state.providerKey(), state.consumerId(), "state of another user"));
            throw stateInvalid();
        }
        if (p.sessionToken() != null && !OAuthStateStore.sha256(p.sessionToken()).equals(state.sessionTokenHash())) {
            // The client that started this flow holds the session token; a different one is someone else's session.
            audit.record(new AuditLog.Entry(actor.id(), actor.type(), "oauth.callback", "refused", null,
                    state.providerKey(), state.consumerId(), "session token mismatch"));
            throw stateInvalid();
        }
        Provider provider = catalog.get(state.providerKey());
        try {
            return new CallbackOutcome(true, complete(p, state, provider, actor), provider.name(),
                    state.redirectUrl(), null);
        } catch (ApiException e) {
            audit.record(new AuditLog.Entry(actor.id(), actor.type(), "oauth.callback", e.code().toLowerCase(), null,
                    provider.providerKey(), state.consumerId(), e.getMessage()));
            return new CallbackOutcome(false, null, provider.name(), state.redirectUrl(), e);
        }
    }

    private Connection complete(CallbackParams p, OAuthState state, Provider provider, Actor actor) {
        if (p.iss() != null && provider.issuer() != null && !provider.issuer().equals(p.iss())) {
            // RFC 9207 mix-up defence: the response came from another authorization server than the one we asked.
            throw ApiException.badRequest(ISSUER_MISMATCH, "The authorization response names another issuer");
        }
        if (p.error() != null) {
            if ("access_denied".equals(p.error())) {
                throw new ApiException(HttpStatus.BAD_REQUEST, DENIED, "The account owner denied access");
            }
            throw ApiException.badRequest(FAILED, "The provider refused the authorization request");
        }
        if (p.code() == null || p.code().isBlank() || p.code().length() > 2048) {
            throw ApiException.badRequest(FAILED, "The authorization response carries no code");
        }
        TokenResponse tokens;
        try {
            tokens = providers.exchangeCode(provider, p.code(), state.codeVerifier());
        } catch (ProviderOAuthException e) {
            log.info("Code exchange refused by {}: {}", provider.providerKey(), e.error());
            throw ApiException.badRequest(FAILED, "The provider refused the authorization code");
        } catch (ProviderUnavailableException e) {
            log.warn("Code exchange with {} failed: {}", provider.providerKey(), e.getMessage());
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE,
                    "The provider is not available right now; try again later");
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        Connection connection = new Connection(id, state.consumerId(), state.tenantId(), provider.providerKey(),
                provider.providerType(), "My " + provider.name() + " connection", Connection.ACTIVE,
                cipher.encrypt(tokens.accessToken(), Connection.accessTokenAd(id)),
                cipher.encryptNullable(tokens.refreshToken(), Connection.refreshTokenAd(id)), tokens.tokenType(),
                tokens.scope(), tokens.expiresIn() == null ? null : now.plusSeconds(tokens.expiresIn()),
                tokens.patient(), tokens.practiceId(), state.termsVersion(), null, null, null, null, now);
        tx.executeWithoutResult(status -> {
            connections.insert(connection);
            events.created(connection);
            audit.record(new AuditLog.Entry(actor.id(), actor.type(), "connection.created", "success", id,
                    provider.providerKey(), state.consumerId(), null));
        });
        return connection;
    }

    private static ApiException stateInvalid() {
        return ApiException.badRequest(STATE_INVALID, "The OAuth state is unknown, already used or expired");
    }

    private static UUID parseSubject(Caller caller) {
        try {
            return UUID.fromString(caller.subject());
        } catch (IllegalArgumentException e) {
            throw ApiException.forbidden("Only a user can connect accounts");
        }
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
