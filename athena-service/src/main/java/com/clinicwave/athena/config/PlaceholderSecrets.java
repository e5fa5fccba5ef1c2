package com.clinicwave.athena.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * Refuses to start a service whose secrets are still placeholders (issue 13, item 3): outside the {@code local}
 * profile a secret that is empty, {@code REPLACE_ME}, {@code changeme} and the like, an unresolved {@code ${…}}, or
 * one of the suite's local defaults ({@code …-local-secret}) stops the start with a message naming the property —
 * never its value. (The same check lives in auth-service; a shared copy belongs in the platform starter.)
 */
public final class PlaceholderSecrets {

    private static final Set<String> PLACEHOLDERS = Set.of("replace_me", "replace-me", "replaceme", "changeme",
            "change-me", "change_me", "changeit", "placeholder", "secret", "password", "todo", "tbd", "xxx",
            "dummy", "example", "none", "null", "default");

    private PlaceholderSecrets() {
    }

    /** The property's value; one that refers to an unset variable ({@code ${X}}) counts as its literal text. */
    private static @Nullable String value(Environment environment, String property) {
        try {
            return environment.getProperty(property);
        } catch (IllegalArgumentException unresolvable) {
            return "${unresolved}";
        }
    }

    /** True when the value cannot be a real secret. */
    public static boolean isPlaceholder(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return true;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return PLACEHOLDERS.contains(v) || v.contains("replace_me") || v.contains("replace-me")
                || v.contains("changeme") || v.contains("change_me") || v.contains("change-me")
                || v.startsWith("${") || v.startsWith("<") || v.endsWith("-local-secret");
    }

    /**
     * Throws {@link IllegalStateException} naming every listed property whose value is a placeholder, unless the
     * {@code local} profile is active.
     */
    public static void requireReal(Environment environment, String service, String... properties) {
        if (environment.acceptsProfiles(Profiles.of("local"))) {
            return;
        }
        List<String> bad = new ArrayList<>();
        for (String property : properties) {
            if (isPlaceholder(value(environment, property))) {
                bad.add(property);
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalStateException(service + " refuses to start: " + String.join(", ", bad)
                    + (bad.size() == 1 ? " is" : " are") + " empty or a placeholder (REPLACE_ME, changeme, a local "
                    + "default …). Set the real secret from the secret store; placeholders are allowed only in the "
                    + "'local' profile.");
        }
    }
}
