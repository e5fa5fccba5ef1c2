package com.clinicwave.auth.admin.web;

import com.clinicwave.auth.admin.Callers;
import com.clinicwave.auth.admin.LiveTokens;
import com.clinicwave.auth.admin.Paged;
import com.clinicwave.auth.admin.UserAdministration;
import com.clinicwave.auth.admin.UserAdministration.UserSummary;
import com.clinicwave.auth.audit.AuditLog;
import com.clinicwave.auth.events.AuthEvents;
import com.clinicwave.auth.login.PasswordChange;
import com.clinicwave.auth.user.RoleRepository;
import com.clinicwave.auth.user.UserAccount;
import com.clinicwave.auth.user.UserRepository;
import com.clinicwave.platform.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
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
 * A tenant administrator's users ({@code users:admin}), always of the caller's own tenant (the token's {@code tid}):
 * another tenant's user is simply not found (404). Locking revokes the user's live tokens at once.
 */
@RestController
@RequestMapping("/api/v1/admin/users")
@PreAuthorize("hasAuthority('users:admin')")
@Tag(name = "tenant admin: users", description = "Users of the caller's tenant")
@SecurityRequirement(name = "bearer")
class UserAdminController {

    /** Indefinite: an administrator's lock lasts until an administrator unlocks. */
    static final Instant LOCKED_BY_ADMIN = UserAccount.LOCKED_BY_ADMINISTRATOR;

    record CreateUser(@NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{2,63}") String username,
            @Nullable @Email @Size(max = 320) String email, @NotBlank @Size(max = 128) String password,
            @Nullable @Size(max = 20) List<@NotBlank String> roles, @Nullable Boolean mustChangePassword) {
    }

    record LockResponse(String userId, boolean locked, int sessionsRevoked) {
    }

    private final UserAdministration administration;
    private final UserRepository users;
    private final RoleRepository roles;
    private final PasswordEncoder passwords;
    private final LiveTokens liveTokens;
    private final AuthEvents events;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    UserAdminController(UserAdministration administration, UserRepository users, RoleRepository roles,
            PasswordEncoder passwords, LiveTokens liveTokens, AuthEvents events, AuditLog audit, TransactionTemplate tx) {
        this.administration = administration;
        this.users = users;
        this.roles = roles;
        this.passwords = passwords;
        this.liveTokens = liveTokens;
        this.events = events;
        this.audit = audit;
        this.tx = tx;
    }

    @GetMapping
    @Operation(summary = "List or search (q: part of username or email) the tenant's users, paged")
    Paged<UserSummary> list(@AuthenticationPrincipal Jwt jwt, @RequestParam(required = false) @Nullable String q,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        UUID tenant = Callers.tenant(jwt);
        Paged.check(page, size);
        if (q != null && q.length() > 100) {
            throw ApiException.badRequest(com.clinicwave.platform.web.ProblemCodes.VALIDATION_FAILED, "q: at most 100 characters");
        }
        return new Paged<>(administration.search(tenant, q, page, size), page, size, administration.count(tenant, q));
    }

    @GetMapping("/{userId}")
    @Operation(summary = "One user of the tenant")
    UserSummary get(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID userId) {
        return administration.find(Callers.tenant(jwt), userId).orElseThrow(() -> ApiException.notFound("User"));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a user of the tenant with roles (default patient); the password must be changed at "
            + "the first sign-in unless must_change_password is false")
    UserSummary create(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody CreateUser request) {
        UUID tenant = Callers.tenant(jwt);
        PasswordChange.checkPolicy(request.username(), request.password());
        List<String> roleNames = request.roles() == null ? List.of("patient") : request.roles().stream().distinct().toList();
        String hash = passwords.encode(request.password());
        UUID id = tx.execute(s -> {
            if (users.findByUsername(tenant, request.username()).isPresent()
                    || (request.email() != null && users.findByEmail(tenant, request.email()).isPresent())) {
                throw ApiException.conflict("USER_EXISTS", "A user with this username or email already exists");
            }
            UserAccount user = users.create(tenant, request.username(), request.email(), hash);
            List<String> unknown = users.replaceRoles(user.id(), tenant, roleNames);
            if (!unknown.isEmpty()) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "ROLE_NOT_FOUND", "Unknown role(s): " + String.join(", ", unknown));
            }
            users.setMustChangePassword(user.id(), request.mustChangePassword() == null || request.mustChangePassword());
            audit.record("user.created", tenant, user.id(), jwt.getSubject(), null, "roles=" + String.join(" ", roleNames));
            return user.id();
        });
        return administration.find(tenant, id).orElseThrow();
    }

    @PostMapping("/{userId}/lock")
    @Operation(summary = "Lock the user until unlocked; every live token of the user is revoked at once")
    LockResponse lock(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID userId) {
        UUID tenant = Callers.tenant(jwt);
        UserSummary user = administration.find(tenant, userId).orElseThrow(() -> ApiException.notFound("User"));
        if (user.id().toString().equals(jwt.getSubject())) {
            throw new ApiException(HttpStatus.CONFLICT, "POLICY_VIOLATION", "Administrators cannot lock themselves out");
        }
        int ended = tx.execute(s -> {
            users.lockUntil(user.id(), LOCKED_BY_ADMIN);
            events.userLocked(user.id(), tenant, LOCKED_BY_ADMIN);
            int n = liveTokens.revokeUser(user.id(), tenant);
            audit.record("user.locked", tenant, user.id(), jwt.getSubject(), null, "by administrator; sessions_revoked=" + n);
            return n;
        });
        return new LockResponse(user.id().toString(), true, ended);
    }
}
