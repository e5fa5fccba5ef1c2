package com.clinicwave.auth.bootstrap;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The first platform administrator ({@code clinicwave.auth.bootstrap.*}; environment {@code AUTH_BOOTSTRAP_ADMIN_USERNAME},
 * {@code AUTH_BOOTSTRAP_ADMIN_PASSWORD}, {@code AUTH_BOOTSTRAP_ADMIN_EMAIL}): created in the {@code platform} tenant when
 * no platform administrator exists yet. {@code passwordChangeRequired} (default true): the password must be replaced at
 * the first sign-in ({@code POST /api/v1/auth/password}); only the local profile turns it off.
 */
@ConfigurationProperties("clinicwave.auth.bootstrap")
public record BootstrapProperties(@Nullable String adminUsername, @Nullable String adminPassword,
        @Nullable String adminEmail, @DefaultValue("true") boolean passwordChangeRequired) {
}
