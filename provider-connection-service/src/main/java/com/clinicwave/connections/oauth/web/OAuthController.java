package com.clinicwave.connections.oauth.web;

import com.clinicwave.connections.connection.Connection;
import com.clinicwave.connections.connection.ConnectionService;
import com.clinicwave.connections.crypto.ClientAssertionKeys;
import com.clinicwave.connections.oauth.OAuthFlowService;
import com.clinicwave.connections.oauth.OAuthFlowService.CallbackKind;
import com.clinicwave.connections.oauth.OAuthFlowService.CallbackOutcome;
import com.clinicwave.connections.oauth.OAuthFlowService.CallbackParams;
import com.clinicwave.platform.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/** The OAuth flow endpoints: initiate, the provider's callback, complete, an explicit refresh, this client's JWKS. */
@RestController
@RequestMapping("/api/oauth")
class OAuthController {

    static final String SESSION_TOKEN = "X-Session-Token";

    private final OAuthFlowService flow;
    private final ConnectionService connections;
    private final ClientAssertionKeys assertionKeys;

    OAuthController(OAuthFlowService flow, ConnectionService connections, ClientAssertionKeys assertionKeys) {
        this.flow = flow;
        this.connections = connections;
        this.assertionKeys = assertionKeys;
    }

    record InitiateRequest(@NotBlank @Size(max = 50) @Pattern(regexp = "[a-z0-9][a-z0-9-]*") String providerKey, @Nullable UUID consumerId,
            @NotBlank @Size(max = 2000) String redirectUrl, @Size(max = 20) @Nullable String acceptedTermsVersion) {
    }

    record RefreshRequest(@NotNull UUID connectionId) {
    }

    record RefreshResponse(UUID connectionId, @Nullable Instant expiresAt, @Nullable String tokenType, String status) {
    }

    record CallbackResponse(boolean success, UUID connectionId, String providerKey, String providerName,
            String status) {
    }

    @PostMapping("/initiate")
    ResponseEntity<OAuthFlowService.Initiated> initiate(@Valid @RequestBody InitiateRequest request) {
        OAuthFlowService.Initiated initiated = flow.initiate(Caller.current(), request.providerKey(),
                request.consumerId(), request.redirectUrl(), request.acceptedTermsVersion());
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(initiated);
    }

    record CompleteRequest(@NotBlank @Size(max = 512) String state, @NotBlank @Size(max = 2048) String code,
            @Size(max = 500) @Nullable String iss) {
    }

    /**
     * Where the provider sends the browser back; public. Completes the connection only with proof that the
     * request comes from the flow's initiator (their bearer token, forwarded by the gateway, or the session token);
     * without proof it hands the browser back to the client with what it needs to call {@code /complete}.
     */
    @GetMapping("/callback")
    ResponseEntity<?> callback(@RequestParam(required = false) @Nullable String code,
            @RequestParam(required = false) @Nullable String state,
            @RequestParam(required = false) @Nullable String error,
            @RequestParam(name = "error_description", required = false) @Nullable String errorDescription,
            @RequestParam(required = false) @Nullable String iss,
            @RequestHeader(name = SESSION_TOKEN, required = false) @Nullable String sessionToken,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) @Nullable String accept) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        Caller caller = authentication instanceof JwtAuthenticationToken token
                ? Caller.from(token.getToken(), token.getAuthorities()) : null;
        boolean json = wantsJson(accept);
        CallbackOutcome outcome = flow.callback(new CallbackParams(code, state, error, errorDescription, iss,
                blankToNull(sessionToken)), caller, json);
        if (json) {
            if (outcome.kind() != CallbackKind.COMPLETED) {
                throw outcome.error();
            }
            Connection c = outcome.connection();
            return ResponseEntity.ok().cacheControl(CacheControl.noStore())
                    .body(new CallbackResponse(true, c.id(), c.providerKey(), outcome.providerName(), c.status()));
        }
        UriComponentsBuilder target = UriComponentsBuilder.fromUriString(outcome.redirectUrl());
        switch (outcome.kind()) {
            case COMPLETED -> target.queryParam("connection_id", outcome.connection().id())
                    .queryParam("status", outcome.connection().status())
                    .queryParam("provider_key", outcome.providerKey());
            case FAILED -> target.queryParam("provider_key", outcome.providerKey())
                    .queryParam("error", outcome.error().code());
            case AWAITING_COMPLETION -> {
                target.queryParam("provider_key", outcome.providerKey())
                        .queryParam("state", "{state}")
                        .queryParam("code", "{code}")
                        .queryParam("status", "awaiting_completion");
                if (outcome.iss() != null) {
                    target.queryParam("iss", "{iss}");
                }
            }
        }
        Map<String, String> values = new java.util.HashMap<>();
        values.put("state", outcome.state());
        values.put("code", outcome.code());
        values.put("iss", outcome.iss());
        URI location = target.encode().buildAndExpand(values).toUri();
        return ResponseEntity.status(HttpStatus.FOUND).location(location).cacheControl(CacheControl.noStore())
                .header("Referrer-Policy", "no-referrer").build();
    }

    /** Finishes a flow whose callback came back without proof, as its initiator. */
    @PostMapping("/complete")
    ResponseEntity<CallbackResponse> complete(@Valid @RequestBody CompleteRequest request,
            @RequestHeader(name = SESSION_TOKEN, required = false) @Nullable String sessionToken) {
        OAuthFlowService.Completed done = flow.complete(Caller.current(), request.state(), request.code(),
                request.iss(), blankToNull(sessionToken));
        Connection c = done.connection();
        return ResponseEntity.status(HttpStatus.CREATED).cacheControl(CacheControl.noStore())
                .body(new CallbackResponse(true, c.id(), c.providerKey(), done.providerName(), c.status()));
    }

    @PostMapping("/token/refresh")
    RefreshResponse refresh(@Valid @RequestBody RefreshRequest request) {
        Connection c = connections.refresh(request.connectionId(), Caller.current());
        return new RefreshResponse(c.id(), c.tokenExpiresAt(), c.tokenType(), c.status());
    }

    /** The public keys of this client's private_key_jwt assertions, for providers to verify them. */
    @GetMapping(path = "/jwks", produces = {"application/jwk-set+json", MediaType.APPLICATION_JSON_VALUE})
    ResponseEntity<Map<String, Object>> jwks() {
        return ResponseEntity.ok().cacheControl(CacheControl.maxAge(java.time.Duration.ofMinutes(5)))
                .body(assertionKeys.publicJwks());
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static boolean wantsJson(@Nullable String accept) {
        if (accept == null) {
            return false;
        }
        String a = accept.toLowerCase();
        return (a.contains("application/json") || a.contains("application/problem+json")) && !a.contains("text/html");
    }
}
