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
import com.clinicwave.platform.crypto.Hashes;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
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
 * SMART parameters), callback and complete (proof of the initiator, state, RFC 9207 issuer, consent outcome, code
 * exchange with the provider's client authentication, the connection stored with its tokens encrypted).
 */
@Service
public class OAuthFlowService {

    private static final Logger log = LoggerFactory.getLogger(OAuthFlowService.class);

    public static final String STATE_INVALID = "OAUTH_STATE_INVALID";
    public static final String DENIED = "PROVIDER_CONSENT_DENIED";
    public static final String PROOF_REQUIRED = "CONNECT_PROOF_REQUIRED";
    public static final String FLOW_FORBIDDEN = "CONNECT_FLOW_FORBIDDEN";
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

    public record Initiated(String oauthUrl, String state, String sessionToken, Instant expiresAt) {
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
        return new Initiated(authorizationUrl(provider, state, verifier), state, sessionToken, expiresAt);
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

    /** What a callback did: completed a connection, ended the flow with an error, or awaits the initiator's proof. */
    public enum CallbackKind { COMPLETED, FAILED, AWAITING_COMPLETION }

    /**
     * The outcome of a callback whose state was valid; {@code redirectUrl} is where the browser goes back. For
     * {@link CallbackKind#AWAITING_COMPLETION}, {@code code}/{@code iss} are what the client needs to finish.
     */
    public record CallbackOutcome(CallbackKind kind, @Nullable Connection connection, String providerKey,
            @Nullable String providerName, String redirectUrl, @Nullable ApiException error, @Nullable String state,
            @Nullable String code, @Nullable String iss) {

        public boolean success() {
            return kind == CallbackKind.COMPLETED;
        }
    }

    /**
     * The provider's redirect. With proof that it comes from the flow's initiator (their bearer token, or the
     * session token initiate returned), the code is exchanged and the connection completed. Without proof nothing
     * is exchanged: the state stays valid (single use, expiring) and the browser is handed back to the allow-listed
     * redirect URL with what the initiator's client needs to finish ({@link #complete}). A proof from anyone else
     * burns the state, is audited and refused ({@value #FLOW_FORBIDDEN}). A provider error ends the flow.
     *
     * @param wantsJson the caller asked for JSON: without proof that is a 401 ({@value #PROOF_REQUIRED}), because
     *                  there is no browser to hand anything back to
     */
    public CallbackOutcome callback(CallbackParams p, @Nullable Caller caller, boolean wantsJson) {
        String stateValue = requireStateParameter(p.state());
        boolean proof = caller != null || p.sessionToken() != null;
        if (!proof && p.error() == null) {
            OAuthState state = valid(states.peek(stateValue).orElse(null), null, "oauth.callback");
            if (wantsJson) {
                throw new ApiException(HttpStatus.UNAUTHORIZED, PROOF_REQUIRED,
                        "Finishing a connect flow needs the initiator's bearer token or session token");
            }
            Provider provider = catalog.get(state.providerKey());
            ApiException early = earlyRejection(p, provider);
            if (early != null) {
                // Not our provider's answer, or no code: this authorization cannot succeed, so it ends here.
                states.consume(stateValue);
                return failed(state, provider, early, new Actor(state.consumerId().toString(), ActorType.consumer));
            }
            audit.record(new AuditLog.Entry("anonymous", ActorType.consumer, "oauth.callback",
                    "awaiting_completion", null, state.providerKey(), state.consumerId(), null));
            return new CallbackOutcome(CallbackKind.AWAITING_COMPLETION, null, provider.providerKey(),
                    provider.name(), state.redirectUrl(), null, stateValue, p.code(), p.iss());
        }
        OAuthState state = valid(states.consume(stateValue).orElse(null), caller, "oauth.callback");
        if (proof) {
            requireInitiator(state, caller, p.sessionToken(), "oauth.callback");
        }
        Actor actor = new Actor(state.consumerId().toString(), ActorType.consumer);
        Provider provider = catalog.get(state.providerKey());
        try {
            Connection connection = exchange(p.code(), p.error(), p.iss(), state, provider, actor);
            return new CallbackOutcome(CallbackKind.COMPLETED, connection, provider.providerKey(), provider.name(),
                    state.redirectUrl(), null, null, null, null);
        } catch (ApiException e) {
            return failed(state, provider, e, actor);
        }
    }

    /** A completed connect: the new connection and its provider's name. */
    public record Completed(Connection connection, String providerName) {
    }

    /**
     * Finishes a flow whose callback came back without proof: the caller must be the flow's initiator (same user and
     * tenant; the session token too when shown). The state is used up whatever the outcome.
     */
    public Completed complete(Caller caller, @Nullable String stateValue, @Nullable String code, @Nullable String iss,
            @Nullable String sessionToken) {
        String value = requireStateParameter(stateValue);
        OAuthState state = valid(states.consume(value).orElse(null), caller, "oauth.complete");
        requireInitiator(state, caller, sessionToken, "oauth.complete");
        Actor actor = new Actor(state.consumerId().toString(), ActorType.consumer);
        Provider provider = catalog.get(state.providerKey());
        try {
            return new Completed(exchange(code, null, iss, state, provider, actor), provider.name());
        } catch (ApiException e) {
            audit.record(new AuditLog.Entry(actor.id(), actor.type(), "oauth.complete", e.code().toLowerCase(), null,
                    provider.providerKey(), state.consumerId(), e.getMessage()));
            throw e;
        }
    }

    private String requireStateParameter(@Nullable String state) {
        if (state == null || state.isBlank() || state.length() > 512) {
            throw stateInvalid();
        }
        return state;
    }

    private OAuthState valid(@Nullable OAuthState state, @Nullable Caller caller, String action) {
        if (state == null || state.expiresAt().isBefore(clock.instant())) {
            audit.record(new AuditLog.Entry(caller == null ? "anonymous" : caller.subject(), ActorType.consumer,
                    action, "refused", null, null, null, "unknown, used or expired state"));
            throw stateInvalid();
        }
        return state;
    }

    /**
     * The proof shown must be the initiator's: a bearer of the same user and tenant, a matching session token. The
     * state has already been consumed, so a refused proof leaves a flow nobody can finish.
     */
    private void requireInitiator(OAuthState state, @Nullable Caller caller, @Nullable String sessionToken,
            String action) {
        String reason = null;
        if (caller != null && (!caller.subject().equals(state.initiatedBy())
                || !Objects.equals(caller.tenantId(), state.tenantId() == null ? null : state.tenantId().toString()))) {
            reason = "state of another user";
        } else if (sessionToken != null
                && !MessageDigest.isEqual(OAuthStateStore.sha256(sessionToken).getBytes(StandardCharsets.US_ASCII),
                        state.sessionTokenHash().getBytes(StandardCharsets.US_ASCII))) {
            reason = "session token mismatch";
        }
        if (reason != null) {
            audit.record(new AuditLog.Entry(caller == null ? "anonymous" : caller.subject(), ActorType.consumer,
                    action, "forbidden", null, state.providerKey(), state.consumerId(), reason + "; state burned"));
            throw new ApiException(HttpStatus.FORBIDDEN, FLOW_FORBIDDEN,
                    "This connect flow was started by someone else; it has been cancelled");
        }
    }

    private CallbackOutcome failed(OAuthState state, Provider provider, ApiException e, Actor actor) {
        audit.record(new AuditLog.Entry(actor.id(), actor.type(), "oauth.callback", e.code().toLowerCase(), null,
                provider.providerKey(), state.consumerId(), e.getMessage()));
        return new CallbackOutcome(CallbackKind.FAILED, null, provider.providerKey(), provider.name(),
                state.redirectUrl(), e, null, null, null);
    }

    /** Why an authorization response can never be completed, checked before anything is exchanged. */
    private static @Nullable ApiException earlyRejection(CallbackParams p, Provider provider) {
        if (p.iss() != null && provider.issuer() != null && !provider.issuer().equals(p.iss())) {
            return issuerMismatch();
        }
        if (p.code() == null || p.code().isBlank() || p.code().length() > 2048) {
            return noCode();
        }
        return null;
    }

    private static ApiException issuerMismatch() {
        // RFC 9207 mix-up defence: the response came from another authorization server than the one we asked.
        return ApiException.badRequest(ISSUER_MISMATCH, "The authorization response names another issuer");
    }

    private static ApiException noCode() {
        return ApiException.badRequest(FAILED, "The authorization response carries no code");
    }

    private Connection exchange(@Nullable String code, @Nullable String error, @Nullable String iss,
            OAuthState state, Provider provider, Actor actor) {
        if (iss != null && provider.issuer() != null && !provider.issuer().equals(iss)) {
            throw issuerMismatch();
        }
        if (error != null) {
            if ("access_denied".equals(error)) {
                throw new ApiException(HttpStatus.BAD_REQUEST, DENIED, "The account owner denied access");
            }
            throw ApiException.badRequest(FAILED, "The provider refused the authorization request");
        }
        if (code == null || code.isBlank() || code.length() > 2048) {
            throw noCode();
        }
        TokenResponse tokens;
        try {
            tokens = providers.exchangeCode(provider, code, state.codeVerifier());
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
        return Hashes.sha256Base64Url(verifier);
    }
}
