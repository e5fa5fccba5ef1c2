package com.clinicwave.auth.tenant;

import java.util.List;

/** The roles every tenant starts with, and the platform tenant's operators' role. */
public final class TenantRoles {

    public static final String PATIENT_ROLE = "patient";
    public static final String TENANT_ADMIN_ROLE = "tenant_admin";
    public static final String PLATFORM_ADMIN_ROLE = "platform_admin";
    /** The tenant holding the platform's administrators (no patients, no self-registration). */
    public static final String PLATFORM_TENANT = "platform";

    public static final List<String> PATIENT = List.of("connections:read", "connections:write", "claims:read",
            "claims:sync", "claims:verify", "athena:read", "apikeys:manage");
    public static final List<String> TENANT_ADMIN = List.of("providers:admin", "users:admin", "connections:admin",
            "apikeys:manage", "clients:admin", "audit:read");
    public static final List<String> PLATFORM_ADMIN = List.of("tenants:admin", "users:admin", "audit:read",
            "providers:platform-admin");

    private TenantRoles() {
    }
}
