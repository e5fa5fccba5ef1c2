package com.clinicwave.auth.platform.web;

import com.clinicwave.auth.admin.Callers;
import com.clinicwave.auth.admin.LiveTokens;
import com.clinicwave.auth.admin.Paged;
import com.clinicwave.auth.admin.clients.ClientRegistrations;
import com.clinicwave.auth.audit.AuditLog;
import com.clinicwave.auth.login.PasswordChange;
import com.clinicwave.auth.tenant.Tenant;
import com.clinicwave.auth.tenant.TenantAdministration;
import com.clinicwave.auth.tenant.TenantAdministration.TenantDetails;
import com.clinicwave.auth.tenant.TenantRepository;
import com.clinicwave.auth.tenant.TenantRoles;
import com.clinicwave.auth.user.RoleRepository;
import com.clinicwave.auth.user.UserAccount;
import com.clinicwave.auth.user.UserRepository;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
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
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Platform administration of tenants ({@code tenants:admin}, held only by the {@code platform} tenant's
 * {@code platform_admin} role): create (with domains and a first tenant administrator), list, show, rename, set domains,
 * disable (every user's live tokens revoked) and enable. Audited in the tenant concerned.
 */
@RestController
@RequestMapping("/api/v1/admin/tenants")
@PreAuthorize("hasAuthority('tenants:admin')")
@Tag(name = "platform: tenants", description = "Platform administrators manage tenants")
@SecurityRequirement(name = "bearer")
class TenantsController {

    static final String KEY = "[a-z][a-z0-9-]{1,62}";

    record FirstAdmin(@NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{2,63}") String username,
            @Nullable @Email @Size(max = 320) String email, @NotBlank @Size(max = 128) String password) {
    }

    record CreateTenant(@NotBlank @Pattern(regexp = KEY) String key, @NotBlank @Size(max = 200) String name,
            @Nullable @Size(max = 20) List<@NotBlank @Size(max = 253) String> domains,
            @Nullable Boolean openRegistration, @Nullable @Valid FirstAdmin admin) {
    }

    record UpdateTenant(@Nullable @Size(min = 1, max = 200) String name,
            @Nullable @Size(max = 20) List<@NotBlank @Size(max = 253) String> domains,
            @Nullable Boolean openRegistration) {
    }

    record TenantResponse(String id, String key, String name, boolean openRegistration, boolean enabled,
            List<String> domains, Instant createdAt, @Nullable Instant disabledAt, @Nullable String adminUserId) {
    }

    private final TenantAdministration administration;
    private final ClientRegistrations registrations;
    private final TenantRepository tenants;
    private final RoleRepository roles;
    private final UserRepository users;
    private final PasswordEncoder passwords;
    private final LiveTokens liveTokens;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    TenantsController(TenantAdministration administration, TenantRepository tenants, RoleRepository roles,
            UserRepository users, PasswordEncoder passwords, LiveTokens liveTokens, AuditLog audit,
            TransactionTemplate tx, ClientRegistrations registrations) {
        this.administration = administration;
        this.registrations = registrations;
        this.tenants = tenants;
        this.roles = roles;
        this.users = users;
        this.passwords = passwords;
        this.liveTokens = liveTokens;
        this.audit = audit;
        this.tx = tx;
    }

    @GetMapping
    @Operation(summary = "List tenants (paged)")
    Paged<TenantResponse> list(@AuthenticationPrincipal Jwt jwt, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        platformAdmin(jwt);
        Paged.check(page, size);
        return new Paged<>(administration.list(page, size).stream().map(t -> toResponse(t, null)).toList(), page, size,
                administration.count());
    }

    @GetMapping("/{key}")
    @Operation(summary = "One tenant")
    TenantResponse get(@AuthenticationPrincipal Jwt jwt, @PathVariable String key) {
        platformAdmin(jwt);
        return toResponse(find(key), null);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a tenant with its domains, roles patient and tenant_admin, and optionally its first "
            + "administrator (who must change the password at the first sign-in)")
    TenantResponse create(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody CreateTenant request) {
        platformAdmin(jwt);
        if (TenantRoles.PLATFORM_TENANT.equals(request.key())) {
            throw ApiException.conflict("TENANT_EXISTS", "A tenant with this key already exists");
        }
        List<String> domains = domains(request.domains());
        if (request.admin() != null) {
            PasswordChange.checkPolicy(request.admin().username(), request.admin().password());
        }
        String hash = request.admin() == null ? null : passwords.encode(request.admin().password());
        String[] adminId = new String[1];
        Tenant tenant;
        try {
            tenant = create(jwt, request, domains, hash, adminId);
        } catch (DuplicateKeyException concurrentlyCreated) {
            // Another request created the same key or took one of the domains between our checks and our inserts.
            throw tenants.findByKey(request.key()).isPresent()
                    ? ApiException.conflict("TENANT_EXISTS", "A tenant with this key already exists")
                    : ApiException.conflict("DOMAIN_TAKEN", "Domain already used by another tenant");
        }
        return toResponse(find(tenant.key()), adminId[0]);
    }

    private Tenant create(Jwt jwt, CreateTenant request, List<String> domains, @Nullable String hash, String[] adminId) {
        return tx.execute(s -> {
            if (tenants.findByKey(request.key()).isPresent()) {
                throw ApiException.conflict("TENANT_EXISTS", "A tenant with this key already exists");
            }
            checkDomainsFree(domains, null);
            Tenant created = tenants.create(request.key(), request.name().strip(),
                    request.openRegistration() == null || request.openRegistration());
            roles.create(created.id(), TenantRoles.PATIENT_ROLE, "A patient using the companion apps", TenantRoles.PATIENT);
            var adminRole = roles.create(created.id(), TenantRoles.TENANT_ADMIN_ROLE, "Administers the tenant",
                    TenantRoles.TENANT_ADMIN);
            administration.setDomains(created.id(), domains);
            if (request.admin() != null) {
                UserAccount admin = users.create(created.id(), request.admin().username(), request.admin().email(), hash);
                roles.grant(admin.id(), adminRole.id());
                users.setMustChangePassword(admin.id(), true);
                adminId[0] = admin.id().toString();
                audit.record("user.created", created.id(), admin.id(), jwt.getSubject(), null, "tenant administrator");
            }
            audit.record("tenant.created", created.id(), null, jwt.getSubject(), null,
                    "key=" + created.key() + " domains=" + String.join(",", domains));
            return created;
        });
    }

    @PatchMapping("/{key}")
    @Operation(summary = "Change a tenant's display name, domains (replaced as a whole) or open registration")
    TenantResponse update(@AuthenticationPrincipal Jwt jwt, @PathVariable String key,
            @Valid @RequestBody UpdateTenant request) {
        platformAdmin(jwt);
        TenantDetails tenant = find(key);
        if (request.name() != null && request.name().isBlank()) {
            throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED, "name: must not be blank");
        }
        List<String> domains = request.domains() == null ? null : domains(request.domains());
        try {
            update(jwt, tenant, request, domains);
        } catch (DuplicateKeyException concurrentlyTaken) {
            throw ApiException.conflict("DOMAIN_TAKEN", "Domain already used by another tenant");
        }
        return toResponse(find(key), null);
    }

    private void update(Jwt jwt, TenantDetails tenant, UpdateTenant request, @Nullable List<String> domains) {
        tx.executeWithoutResult(s -> {
            // One change of a tenant at a time (its domains are replaced as a whole).
            administration.lockRow(tenant.id());
            if (request.name() != null) {
                administration.rename(tenant.id(), request.name().strip());
                audit.record("tenant.renamed", tenant.id(), null, jwt.getSubject(), null, request.name().strip());
            }
            if (domains != null) {
                checkDomainsFree(domains, tenant.id());
                administration.setDomains(tenant.id(), domains);
                audit.record("tenant.domains_changed", tenant.id(), null, jwt.getSubject(), null, String.join(",", domains));
            }
            if (request.openRegistration() != null) {
                administration.setOpenRegistration(tenant.id(), request.openRegistration());
                audit.record("tenant.registration_changed", tenant.id(), null, jwt.getSubject(), null,
                        "open=" + request.openRegistration());
            }
        });
    }

    @PostMapping("/{key}/disable")
    @Operation(summary = "Disable a tenant: no sign-in, registration or token for its users; every live token revoked")
    TenantResponse disable(@AuthenticationPrincipal Jwt jwt, @PathVariable String key) {
        platformAdmin(jwt);
        TenantDetails tenant = find(key);
        if (TenantRoles.PLATFORM_TENANT.equals(tenant.key())) {
            throw ApiException.conflict("TENANT_PROTECTED", "The platform tenant cannot be disabled");
        }
        tx.executeWithoutResult(s -> {
            administration.setEnabled(tenant.id(), false);
            int ended = 0;
            for (UUID user : administration.userIds(tenant.id())) {
                ended += liveTokens.revokeUser(user, tenant.id());
            }
            int services = registrations.endServiceTokens(tenant.id());
            audit.record("tenant.disabled", tenant.id(), null, jwt.getSubject(), null, "sessions_revoked=" + ended
                    + " service_clients_revoked=" + services);
        });
        return toResponse(find(key), null);
    }

    @PostMapping("/{key}/enable")
    @Operation(summary = "Enable a disabled tenant again")
    TenantResponse enable(@AuthenticationPrincipal Jwt jwt, @PathVariable String key) {
        platformAdmin(jwt);
        TenantDetails tenant = find(key);
        administration.setEnabled(tenant.id(), true);
        audit.record("tenant.enabled", tenant.id(), null, jwt.getSubject(), null, null);
        return toResponse(find(key), null);
    }

    /**
     * Belt and braces besides {@code tenants:admin}: the caller must be a user of the platform tenant, whatever
     * permission a tenant's role might have been given.
     */
    private void platformAdmin(Jwt jwt) {
        UUID caller = Callers.tenant(jwt);
        UUID platform = tenants.findByKey(TenantRoles.PLATFORM_TENANT).map(Tenant::id).orElse(null);
        if (!caller.equals(platform)) {
            throw ApiException.forbidden("Platform administrators only");
        }
    }

    private TenantDetails find(String key) {
        return administration.find(key).orElseThrow(() -> ApiException.notFound("Tenant"));
    }

    private List<String> domains(@Nullable List<String> requested) {
        if (requested == null) {
            return List.of();
        }
        List<String> domains = requested.stream().map(TenantAdministration::normalizeDomain).distinct().toList();
        for (String domain : domains) {
            if (!TenantAdministration.DOMAIN.matcher(domain).matches()) {
                throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED,
                        "domains: host names only (letters, digits, '-', at least two labels, no port, scheme or path)");
            }
        }
        return domains;
    }

    private void checkDomainsFree(List<String> domains, @Nullable UUID tenant) {
        List<String> taken = administration.domainsTaken(domains, tenant);
        if (!taken.isEmpty()) {
            throw ApiException.conflict("DOMAIN_TAKEN", "Domain already used by another tenant: " + String.join(", ", taken));
        }
    }

    private static TenantResponse toResponse(TenantDetails t, @Nullable String adminUserId) {
        return new TenantResponse(t.id().toString(), t.key(), t.name(), t.openRegistration(), t.enabled(), t.domains(),
                t.createdAt(), t.disabledAt(), adminUserId);
    }
}
