package com.clinicwave.auth.apikey.web;

import com.clinicwave.auth.apikey.ApiKeys;
import com.clinicwave.auth.user.UserAccount;
import com.clinicwave.auth.user.UserRepository;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** A user's own API keys ({@code apikeys:manage}); the secret is shown once, at creation. */
@RestController
@RequestMapping("/api/v1/auth")
@PreAuthorize("hasAuthority('apikeys:manage')")
class ApiKeyController {

    record CreateRequest(@NotBlank @Size(max = 100) String name, @NotEmpty @Size(max = 20) List<@NotBlank String> scopes,
            @Nullable Integer expiresInDays) {
    }

    record CreatedResponse(String id, String name, String apiKey, String prefix, List<String> scopes,
            @Nullable Instant expiresAt) {
    }

    record KeyResponse(String id, String name, String prefix, List<String> scopes, Instant createdAt,
            @Nullable Instant expiresAt, @Nullable Instant revokedAt, @Nullable Instant lastUsedAt) {
    }

    record KeysResponse(List<KeyResponse> apiKeys) {
    }

    private final ApiKeys keys;
    private final UserRepository users;

    ApiKeyController(ApiKeys keys, UserRepository users) {
        this.keys = keys;
        this.users = users;
    }

    @PostMapping("/api-key")
    @ResponseStatus(HttpStatus.CREATED)
    CreatedResponse create(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody CreateRequest request) {
        if (jwt.getClaimAsString("api_key_id") != null) {
            throw ApiException.forbidden("API keys cannot create API keys");
        }
        UserAccount user = owner(jwt);
        // What the minting token holds: its own permissions, still given by the user's roles today. A key never
        // gets more (a token narrowed by its scopes cannot mint a broader key).
        List<String> current = users.grants(user.id()).permissions();
        List<String> held = jwt.getClaimAsStringList("permissions") == null ? List.of()
                : jwt.getClaimAsStringList("permissions").stream().filter(current::contains).toList();
        ApiKeys.Created created = keys.create(user, held, request.name(), request.scopes(), request.expiresInDays());
        ApiKeys.ApiKey key = created.key();
        return new CreatedResponse(key.id().toString(), key.name(), created.secret(), key.prefix(), key.scopes(),
                key.expiresAt());
    }

    @GetMapping("/api-keys")
    KeysResponse list(@AuthenticationPrincipal Jwt jwt) {
        return new KeysResponse(keys.list(owner(jwt).id()).stream()
                .map(k -> new KeyResponse(k.id().toString(), k.name(), k.prefix(), k.scopes(), k.createdAt(),
                        k.expiresAt(), k.revokedAt(), k.lastUsedAt()))
                .toList());
    }

    @DeleteMapping("/api-keys/{id}")
    ResponseEntity<Void> revoke(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
        keys.revoke(owner(jwt).id(), id);
        return ResponseEntity.noContent().build();
    }

    private UserAccount owner(Jwt jwt) {
        String tid = jwt.getClaimAsString("tid");
        if (tid == null) {
            throw ApiException.forbidden("This operation needs a user token");
        }
        return users.findById(UUID.fromString(jwt.getSubject())).filter(u -> u.tenantId().toString().equals(tid))
                .orElseThrow(() -> new ApiException(HttpStatus.UNAUTHORIZED, ProblemCodes.TOKEN_INVALID,
                        "The token's user no longer exists"));
    }
}
