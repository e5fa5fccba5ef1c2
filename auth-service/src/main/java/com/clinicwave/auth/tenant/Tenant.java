package com.clinicwave.auth.tenant;

import java.util.UUID;

/** A tenant: an organisation whose users, roles and API keys are isolated from every other tenant's. */
public record Tenant(UUID id, String key, String name, boolean openRegistration) {
}
