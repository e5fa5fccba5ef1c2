package com.clinicwave.auth.admin.web;

import com.clinicwave.auth.admin.Callers;
import com.clinicwave.auth.admin.Paged;
import com.clinicwave.auth.admin.clients.ClientRegistrations;
import com.clinicwave.auth.admin.clients.ClientRegistrations.Client;
import com.clinicwave.auth.admin.clients.ClientRegistrations.Type;
import com.clinicwave.auth.admin.clients.RedirectUris;
import com.clinicwave.auth.audit.AuditLog;
import com.clinicwave.auth.user.RoleRepository;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tenant administrator's OAuth clients ({@code clients:admin}), of the caller's tenant only (another tenant's client:
 * 404): register SPA, native and service clients, list, show, rotate a service client's secret (shown once), disable
 * and enable. Redirect URIs are validated ({@link RedirectUris}) and matched exactly.
 */
@RestController
@RequestMapping("/api/v1/admin/clients")
@PreAuthorize("hasAuthority('clients:admin')")
@Tag(name = "tenant admin: OAuth clients", description = "OAuth clients of the caller's tenant")
@SecurityRequirement(name = "bearer")
class ClientAdminController {

    /** Permissions a tenant's client may never ask for: administration stays with people, not apps. */
    static final Set<String> NOT_FOR_CLIENTS = Set.of("tenants:admin", "users:admin", "clients:admin", "apikeys:manage",
            "audit:read", "providers:platform-admin", "providers:admin");

    record RegisterClient(@NotBlank @Pattern(regexp = "spa|native|service") String type,
            @NotBlank @Size(max = 200) String name,
            @Nullable @Size(max = 10) List<@NotBlank @Size(max = 500) String> redirectUris,
            @Nullable @Size(max = 10) List<@NotBlank @Size(max = 500) String> postLogoutRedirectUris,
            @Nullable @Size(max = 30) List<@NotBlank @Pattern(regexp = "[a-z][a-z0-9:_.-]{0,99}") String> scopes) {
    }

    record RegisteredResponse(Client client, @Nullable String clientSecret) {
    }

    record SecretResponse(String clientId, String clientSecret) {
    }

    record StateResponse(Client client, int authorizationsRevoked) {
    }

    private final ClientRegistrations registrations;
    private final RoleRepository roles;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    ClientAdminController(ClientRegistrations registrations, RoleRepository roles, AuditLog audit, TransactionTemplate tx) {
        this.registrations = registrations;
        this.roles = roles;
        this.audit = audit;
        this.tx = tx;
    }

    @GetMapping
    @Operation(summary = "The tenant's clients, paged")
    Paged<Client> list(@AuthenticationPrincipal Jwt jwt, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        UUID tenant = Callers.tenant(jwt);
        Paged.check(page, size);
        return new Paged<>(registrations.list(tenant, page, size), page, size, registrations.count(tenant));
    }

    @GetMapping("/{clientId}")
    @Operation(summary = "One client of the tenant")
    Client get(@AuthenticationPrincipal Jwt jwt, @PathVariable String clientId) {
        return find(jwt, clientId);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register a client: spa and native (public, PKCE S256, authorization code + refresh) with "
            + "exact redirect URIs; service (client_credentials) whose secret is in this answer only")
    RegisteredResponse register(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody RegisterClient request) {
        UUID tenant = Callers.tenant(jwt);
        String tenantKey = jwt.getClaimAsString("tenant");
        Type type = Type.valueOf(request.type().toUpperCase(java.util.Locale.ROOT));
        List<String> redirects = request.redirectUris() == null ? List.of() : request.redirectUris().stream().distinct().toList();
        List<String> postLogout = request.postLogoutRedirectUris() == null ? List.of()
                : request.postLogoutRedirectUris().stream().distinct().toList();
        Function<String, Optional<String>> rule = type == Type.NATIVE ? RedirectUris::nativeProblem : RedirectUris::spaProblem;
        if (type == Type.SERVICE) {
            if (!redirects.isEmpty() || !postLogout.isEmpty()) {
                throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED, "redirect_uris: a service client has none");
            }
        } else {
            if (redirects.isEmpty()) {
                throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED, "redirect_uris: at least one");
            }
            check("redirect_uris", redirects, rule);
            check("post_logout_redirect_uris", postLogout, rule);
        }
        Set<String> scopes = scopes(jwt, type, request.scopes());
        var registered = tx.execute(s -> {
            var r = registrations.register(tenant, tenantKey, type, request.name().strip(), redirects, postLogout, scopes,
                    jwt.getSubject());
            audit.record("client.registered", tenant, null, jwt.getSubject(), null,
                    r.client().clientId() + " type=" + type.value() + " redirects=" + String.join(" ", redirects));
            return r;
        });
        return new RegisteredResponse(registered.client(), registered.clientSecret());
    }

    @PostMapping("/{clientId}/secret")
    @Operation(summary = "Rotate a service client's secret: the new one is in this answer only, the old one stops working")
    SecretResponse rotate(@AuthenticationPrincipal Jwt jwt, @PathVariable String clientId) {
        UUID tenant = Callers.tenant(jwt);
        Client client = find(jwt, clientId);
        if (!Type.SERVICE.value().equals(client.type())) {
            throw new ApiException(HttpStatus.CONFLICT, "POLICY_VIOLATION", "Only a service client has a secret");
        }
        String secret = tx.execute(s -> {
            String value = registrations.rotateSecret(tenant, clientId);
            audit.record("client.secret_rotated", tenant, null, jwt.getSubject(), null, clientId);
            return value;
        });
        return new SecretResponse(clientId, secret);
    }

    @PostMapping("/{clientId}/disable")
    @Operation(summary = "Disable a client: no token of any grant; every authorization it holds is revoked")
    StateResponse disable(@AuthenticationPrincipal Jwt jwt, @PathVariable String clientId) {
        return setEnabled(jwt, clientId, false);
    }

    @PostMapping("/{clientId}/enable")
    @Operation(summary = "Enable a disabled client again")
    StateResponse enable(@AuthenticationPrincipal Jwt jwt, @PathVariable String clientId) {
        return setEnabled(jwt, clientId, true);
    }

    private StateResponse setEnabled(Jwt jwt, String clientId, boolean enabled) {
        UUID tenant = Callers.tenant(jwt);
        find(jwt, clientId);
        int revoked = tx.execute(s -> {
            int n = registrations.setEnabled(tenant, jwt.getClaimAsString("tenant"), clientId, enabled);
            audit.record(enabled ? "client.enabled" : "client.disabled", tenant, null, jwt.getSubject(), null,
                    clientId + (enabled ? "" : " authorizations_revoked=" + n));
            return n;
        });
        return new StateResponse(find(jwt, clientId), revoked);
    }

    private Client find(Jwt jwt, String clientId) {
        if (clientId.length() > 100) {
            throw ApiException.notFound("Client");
        }
        return registrations.find(Callers.tenant(jwt), clientId).orElseThrow(() -> ApiException.notFound("Client"));
    }

    private static void check(String field, List<String> uris, Function<String, Optional<String>> rule) {
        for (String uri : uris) {
            rule.apply(uri).ifPresent(problem -> {
                throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED, field + ": " + problem);
            });
        }
    }

    /**
     * SPA/native: the OpenID Connect scopes plus any permission (a user's token still gets only what the user's roles
     * give); default openid profile email offline_access. Service: permissions the registering administrator holds,
     * never an administration permission.
     */
    private Set<String> scopes(Jwt jwt, Type type, @Nullable List<String> requested) {
        Set<String> known = new HashSet<>(roles.knownPermissions());
        known.removeAll(NOT_FOR_CLIENTS);
        Set<String> scopes = new LinkedHashSet<>();
        if (requested == null || requested.isEmpty()) {
            if (type == Type.SERVICE) {
                throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED, "scopes: a service client needs at least one");
            }
            scopes.addAll(List.of("openid", "profile", "email", "offline_access"));
            return scopes;
        }
        List<String> held = jwt.getClaimAsStringList("permissions") == null ? List.of() : jwt.getClaimAsStringList("permissions");
        for (String scope : requested) {
            boolean oidc = List.of("openid", "profile", "email", "offline_access").contains(scope);
            if (type == Type.SERVICE ? !(known.contains(scope) && held.contains(scope)) : !(oidc || known.contains(scope))) {
                if (NOT_FOR_CLIENTS.contains(scope) || type == Type.SERVICE && known.contains(scope)) {
                    throw ApiException.forbidden("scopes: " + scope + " cannot be given to this client");
                }
                throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED, "scopes: unknown scope " + scope);
            }
            scopes.add(scope);
        }
        return scopes;
    }
}
