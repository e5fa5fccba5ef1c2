package com.clinicwave.auth.apikey.web;

import com.clinicwave.auth.apikey.ApiKeys;
import com.clinicwave.auth.config.AuthProperties;
import com.clinicwave.auth.token.AccessTokens;
import com.clinicwave.auth.user.UserAccount;
import com.clinicwave.auth.user.UserRepository;
import com.clinicwave.platform.web.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The phantom-token exchange for the gateway (docs/contracts.md): an API key in, a 5-minute JWT with the key's
 * owner and only its scopes out. The caller is the {@code gateway} client (HTTP Basic, scope {@code apikeys:exchange}).
 */
@RestController
class ApiKeyExchangeController {

    record ExchangeRequest(@NotBlank @Size(max = 100) String apiKey) {
    }

    record ExchangeResponse(String accessToken, String tokenType, long expiresIn, String apiKeyId, String scope) {
    }

    private final ApiKeys keys;
    private final UserRepository users;
    private final AccessTokens tokens;
    private final AuthProperties properties;

    ApiKeyExchangeController(ApiKeys keys, UserRepository users, AccessTokens tokens, AuthProperties properties) {
        this.keys = keys;
        this.users = users;
        this.tokens = tokens;
        this.properties = properties;
    }

    @PostMapping("/internal/api-keys/exchange")
    @PreAuthorize("hasAuthority('SCOPE_apikeys:exchange')")
    ExchangeResponse exchange(@Valid @RequestBody ExchangeRequest request) {
        ApiKeys.ApiKey key = keys.validate(request.apiKey());
        // An owner disabled or locked by an administrator, or of a disabled tenant: the key is refused like an unknown
        // one (the state is not revealed), and works again once the owner is unlocked or the tenant enabled. A user's
        // `enabled` is the account's and its tenant's (UserRepository).
        UserAccount owner = users.findById(key.userId())
                .filter(user -> user.enabled() && !user.lockedByAdministrator())
                .orElseThrow(() -> new ApiException(HttpStatus.UNAUTHORIZED, "API_KEY_INVALID", "The API key is invalid"));
        List<String> permissions = users.grants(owner.id()).permissions();
        List<String> scopes = key.scopes().stream().filter(permissions::contains).toList();
        Jwt jwt = tokens.forApiKey(owner, scopes, key.id());
        return new ExchangeResponse(jwt.getTokenValue(), "Bearer", properties.apiKeyTokenTtl().toSeconds(),
                key.id().toString(), String.join(" ", scopes));
    }
}
