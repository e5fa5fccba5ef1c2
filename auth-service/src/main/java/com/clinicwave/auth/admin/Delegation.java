package com.clinicwave.auth.admin;

import com.clinicwave.platform.web.ApiException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Delegated administration: an administrator hands out, and takes away, only administration permissions that the
 * administrator's own token holds. A tenant may give some people {@code users:admin} alone (a help desk); they can
 * then manage patients but never make anyone — themselves included — a tenant administrator, create a role with
 * {@code audit:read}, or lock, unlock or re-role someone who holds more than they do.
 */
public final class Delegation {

    /** Permissions over other people's accounts, clients, data or the tenant (not a patient's own ones). */
    public static final Set<String> ADMINISTRATION = Set.of("tenants:admin", "providers:platform-admin", "users:admin",
            "clients:admin", "audit:read", "connections:admin", "providers:admin");

    private Delegation() {
    }

    /** 403 {@code INSUFFICIENT_PERMISSIONS} unless the caller holds every administration permission among these. */
    public static void requireHeld(Jwt caller, Collection<String> permissions) {
        List<String> claimed = caller.getClaimAsStringList("permissions");
        List<String> held = claimed == null ? List.of() : claimed;
        List<String> missing = permissions.stream().filter(ADMINISTRATION::contains).filter(p -> !held.contains(p))
                .distinct().sorted().toList();
        if (!missing.isEmpty()) {
            throw ApiException.forbidden("Only administration permissions you hold can be given or taken: "
                    + String.join(", ", missing));
        }
    }
}
