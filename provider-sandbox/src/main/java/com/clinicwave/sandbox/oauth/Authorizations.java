package com.clinicwave.sandbox.oauth;

import com.clinicwave.platform.web.ApiException;
import com.clinicwave.sandbox.data.SandboxData;
import com.clinicwave.sandbox.provider.Provider;
import com.clinicwave.sandbox.provider.ProviderKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The authorization endpoint's rules: client and exact redirect URI first (errors shown here, never redirected),
 * then the request itself (errors redirected with {@code state} and {@code iss}, RFC 9207).
 */
@Service
public class Authorizations {

    /** The OAuth parameters the login form carries through; anything else is dropped. */
    static final List<String> PARAMETERS = List.of("response_type", "client_id", "redirect_uri", "scope", "state",
            "code_challenge", "code_challenge_method", "nonce", "aud", "launch", "prompt");
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9\\-_]{43}");

    private final ClientRegistry clients;
    private final TokenService tokens;
    private final SandboxData data;

    Authorizations(ClientRegistry clients, TokenService tokens, SandboxData data) {
        this.clients = clients;
        this.tokens = tokens;
        this.data = data;
    }

    public AuthorizationRequest validate(Provider provider, MultiValueMap<String, String> params) {
        for (String name : PARAMETERS) {
            List<String> values = params.get(name);
            if (values != null && values.size() > 1 && (name.equals("client_id") || name.equals("redirect_uri"))) {
                throw ApiException.badRequest("INVALID_REQUEST", name + " must be sent once");
            }
        }
        String clientId = params.getFirst("client_id");
        RegisteredClient client = clientId == null ? null : clients.find(provider, clientId).orElse(null);
        if (client == null) {
            throw ApiException.badRequest("INVALID_CLIENT", "Unknown client_id for " + provider.displayName());
        }
        String redirectUri = params.getFirst("redirect_uri");
        if (redirectUri == null || !client.redirectUris().contains(redirectUri)) {
            throw ApiException.badRequest("INVALID_REDIRECT_URI",
                    "redirect_uri is missing or not registered for this client (exact match required)");
        }
        String state = params.getFirst("state");
        for (String name : PARAMETERS) {
            List<String> values = params.get(name);
            if (values != null && values.size() > 1) {
                throw error(provider, redirectUri, state, "invalid_request", name + " must be sent once");
            }
        }
        if (!"code".equals(params.getFirst("response_type"))) {
            throw error(provider, redirectUri, state, "unsupported_response_type", "Only response_type=code");
        }
        String challenge = params.getFirst("code_challenge");
        String method = params.getFirst("code_challenge_method");
        if (challenge != null || method != null) {
            if (!"S256".equals(method)) {
                throw error(provider, redirectUri, state, "invalid_request", "code_challenge_method must be S256");
            }
            if (challenge == null || !CHALLENGE.matcher(challenge).matches()) {
                throw error(provider, redirectUri, state, "invalid_request", "code_challenge is malformed");
            }
        } else if (client.requirePkce()) {
            throw error(provider, redirectUri, state, "invalid_request", "PKCE (S256) is required for this client");
        }
        String scope = params.getFirst("scope");
        if (scope == null || scope.isBlank()) {
            scope = defaultScope(provider);
        }
        scope = String.join(" ", TokenService.scopes(scope));
        if (provider.kind() == ProviderKind.IDP && !TokenService.scopes(scope).contains("openid")) {
            throw error(provider, redirectUri, state, "invalid_scope", "The openid scope is required");
        }
        String aud = params.getFirst("aud");
        if (provider.isFhir() && aud != null && !trim(aud).equals(provider.fhirBase())
                && !trim(aud).equals(provider.issuer())) {
            throw error(provider, redirectUri, state, "invalid_request", "aud is not this FHIR server");
        }
        Map<String, String> carried = new LinkedHashMap<>();
        for (String name : PARAMETERS) {
            String value = params.getFirst(name);
            if (value != null) {
                carried.put(name, value);
            }
        }
        return new AuthorizationRequest(provider, client, redirectUri, scope, state, challenge,
                params.getFirst("nonce"), carried);
    }

    /** The redirect that approves the request for a sandbox patient (checked to exist). */
    public String approve(AuthorizationRequest request, String patientId) {
        if (data.patient(patientId).isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "UNKNOWN_SANDBOX_PATIENT",
                    "No such sandbox patient: use patient-001 … patient-100 or patient-large");
        }
        String code = tokens.issueCode(request, patientId);
        return redirect(request.provider(), request.redirectUri(), request.state(), Map.of("code", code));
    }

    public String deny(AuthorizationRequest request) {
        return redirect(request.provider(), request.redirectUri(), request.state(),
                Map.of("error", "access_denied", "error_description", "The user denied the request"));
    }

    public boolean isPatient(String id) {
        return data.patient(id).isPresent();
    }

    private static AuthorizationError error(Provider provider, String redirectUri, @Nullable String state,
            String error, String description) {
        return new AuthorizationError(redirect(provider, redirectUri, state,
                Map.of("error", error, "error_description", description)), error);
    }

    private static String redirect(Provider provider, String redirectUri, @Nullable String state,
            Map<String, String> values) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(redirectUri);
        Map<String, Object> variables = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            uri.queryParam(name, "{" + name + "}");
            variables.put(name, value);
        });
        if (state != null) {
            uri.queryParam("state", "{state}");
            variables.put("state", state);
        }
        uri.queryParam("iss", "{iss}");
        variables.put("iss", provider.issuer());
        return uri.encode().buildAndExpand(variables).toUriString();
    }

    private static String defaultScope(Provider provider) {
        return switch (provider.kind()) {
            case FHIR -> "launch/patient openid fhirUser offline_access patient/*.read";
            case ATHENA -> "athena/service/Athenanet.MDP.* offline_access";
            case IDP -> "openid profile email";
        };
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
