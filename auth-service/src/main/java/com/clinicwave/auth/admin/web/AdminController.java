package com.clinicwave.auth.admin.web;

import com.clinicwave.auth.admin.Delegation;
import com.clinicwave.auth.admin.UserAdministration;
import com.clinicwave.auth.audit.AuditLog;
import com.clinicwave.auth.tenant.TenantRoles;
import com.clinicwave.auth.login.LoginService;
import com.clinicwave.auth.user.RoleRepository;
import com.clinicwave.auth.user.UserAccount;
import com.clinicwave.auth.user.UserRepository;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** RBAC administration of the caller's own tenant ({@code users:admin}); other tenants' users are not found. */
@RestController
@RequestMapping("/api/v1/admin")
@PreAuthorize("hasAuthority('users:admin')")
class AdminController {

    static final java.util.Set<String> PLATFORM_ONLY = java.util.Set.of("tenants:admin", "providers:platform-admin");

    /** A role's name; also what a request may name as a role (so an unknown name echoed back is never arbitrary text). */
    static final String ROLE_NAME = "[a-z][a-z0-9_-]{1,62}";

    record RoleRequest(@NotBlank @Pattern(regexp = ROLE_NAME) String name,
            @Nullable @Size(max = 300) String description,
            @NotNull @Size(max = 50) List<@NotBlank @Size(max = 100) String> permissions) {
    }

    record RoleResponse(String id, String name, @Nullable String description, List<String> permissions) {
    }

    record RolesResponse(List<RoleResponse> roles) {
    }

    record UserRolesRequest(@NotNull @Size(max = 50) List<@NotBlank @Pattern(regexp = ROLE_NAME) String> roles) {
    }

    record UserRolesResponse(String userId, List<String> roles, List<String> permissions) {
    }

    private final RoleRepository roles;
    private final UserRepository users;
    private final LoginService logins;
    private final AuditLog audit;
    private final com.clinicwave.auth.admin.LiveTokens liveTokens;

    private final UserAdministration administration;

    AdminController(RoleRepository roles, UserRepository users, LoginService logins, AuditLog audit,
            com.clinicwave.auth.admin.LiveTokens liveTokens, UserAdministration administration) {
        this.liveTokens = liveTokens;
        this.administration = administration;
        this.roles = roles;
        this.users = users;
        this.logins = logins;
        this.audit = audit;
    }

    @GetMapping("/roles")
    RolesResponse list(@AuthenticationPrincipal Jwt jwt) {
        return new RolesResponse(roles.list(tenant(jwt)).stream().map(AdminController::toResponse).toList());
    }

    @PostMapping("/roles")
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    RoleResponse create(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody RoleRequest request) {
        UUID tenant = tenant(jwt);
        if (!roles.knownPermissions().containsAll(request.permissions())) {
            throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED, "permissions: unknown permission");
        }
        if (request.permissions().stream().anyMatch(PLATFORM_ONLY::contains)) {
            // A tenant's role never carries a platform permission: that would make a tenant admin a platform admin.
            throw ApiException.forbidden("permissions: platform permissions cannot be granted by a tenant");
        }
        if (TenantRoles.PLATFORM_ADMIN_ROLE.equals(request.name())) {
            // The name tokens carry in roles for the platform's operators: no tenant role may pass for one.
            throw ApiException.forbidden("name: reserved for the platform's administrators");
        }
        Delegation.requireHeld(jwt, request.permissions());
        if (roles.find(tenant, request.name()).isPresent()) {
            throw ApiException.conflict("ROLE_EXISTS", "A role with this name already exists");
        }
        RoleRepository.Role role;
        try {
            role = roles.create(tenant, request.name(), request.description(),
                    request.permissions().stream().distinct().toList());
        } catch (DuplicateKeyException concurrentlyCreated) {
            throw ApiException.conflict("ROLE_EXISTS", "A role with this name already exists");
        }
        audit.record("role.created", tenant, null, jwt.getSubject(), null, role.name());
        return toResponse(role);
    }

    @PutMapping("/users/{userId}/roles")
    @Transactional
    UserRolesResponse setRoles(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID userId,
            @Valid @RequestBody UserRolesRequest request) {
        UserAccount user = userOfTenant(jwt, userId);
        // One change at a time per user (concurrent replacements would collide on user_role's key).
        administration.lockRow(user.tenantId(), user.id());
        List<String> requested = request.roles().stream().distinct().toList();
        Delegation.requireHeld(jwt, users.grants(user.id()).permissions());
        List<String> granted = administration.permissionsOf(user.tenantId(), requested);
        Delegation.requireHeld(jwt, granted);
        // Like locking oneself: an administrator cannot take user administration away from themselves (another
        // administrator can), so a tenant is never left without anyone able to manage its users by a slip.
        if (user.id().toString().equals(jwt.getSubject()) && !granted.contains("users:admin")) {
            throw new ApiException(HttpStatus.CONFLICT, "POLICY_VIOLATION",
                    "Administrators cannot remove their own user administration");
        }
        List<String> unknown = users.replaceRoles(user.id(), user.tenantId(), request.roles().stream().distinct().toList());
        if (!unknown.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "ROLE_NOT_FOUND", "Unknown role(s): " + String.join(", ", unknown));
        }
        // The user's live tokens carry the old roles: revoked at once (sessions, OAuth authorizations, denylist).
        int ended = liveTokens.revokeUser(user.id(), user.tenantId());
        audit.record("user.roles_changed", user.tenantId(), user.id(), jwt.getSubject(), null,
                String.join(" ", request.roles()) + "; sessions_revoked=" + ended);
        var grants = users.grants(user.id());
        return new UserRolesResponse(user.id().toString(), grants.roles(), grants.permissions());
    }

    @PostMapping("/users/{userId}/unlock")
    ResponseEntity<Void> unlock(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID userId) {
        UserAccount user = userOfTenant(jwt, userId);
        Delegation.requireHeld(jwt, users.grants(user.id()).permissions());
        logins.unlock(user, jwt.getSubject());
        return ResponseEntity.noContent().build();
    }

    private UserAccount userOfTenant(Jwt jwt, UUID userId) {
        UUID tenant = tenant(jwt);
        return users.findById(userId).filter(u -> u.tenantId().equals(tenant))
                .orElseThrow(() -> ApiException.notFound("User"));
    }

    private static UUID tenant(Jwt jwt) {
        String tid = jwt.getClaimAsString("tid");
        if (tid == null) {
            throw ApiException.forbidden("This operation needs a user token");
        }
        return UUID.fromString(tid);
    }

    private static RoleResponse toResponse(RoleRepository.Role role) {
        return new RoleResponse(role.id().toString(), role.name(), role.description(), role.permissions());
    }
}
