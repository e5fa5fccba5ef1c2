package com.clinicwave.platform.secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * What counts as a placeholder secret (issue 13 item 3, issue 18): empty, {@code REPLACE_ME}, {@code changeme} and
 * the like, an unresolved {@code ${…}}, a {@code <…>} template, or one of the suite's local defaults
 * ({@code …-local-secret}). {@link SecretsAutoConfiguration} applies it to the properties a service lists.
 */
public final class PlaceholderSecrets {

    private static final Set<String> PLACEHOLDERS = Set.of("replace_me", "replace-me", "replaceme", "changeme",
            "change-me", "change_me", "changeit", "placeholder", "secret", "password", "todo", "tbd", "xxx",
            "dummy", "example", "none", "null", "default");

    private PlaceholderSecrets() {
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
     * The names (never the values) of the required properties that are placeholders and of the optional ones set
     * to a placeholder (an optional secret may be left empty); nothing in the {@code local} profile.
     */
    public static List<String> offending(Environment environment, List<String> required, List<String> optional) {
        if (environment.acceptsProfiles(Profiles.of("local"))) {
            return List.of();
        }
        List<String> bad = new ArrayList<>();
        for (String property : required) {
            if (isPlaceholder(value(environment, property))) {
                bad.add(property);
            }
        }
        for (String property : optional) {
            String value = value(environment, property);
            if (value != null && !value.isEmpty() && isPlaceholder(value)) {
                bad.add(property);
            }
        }
        return bad;
    }

    /** The property's value; one that refers to an unset variable ({@code ${X}}) counts as its literal text. */
    private static @Nullable String value(Environment environment, String property) {
        try {
            return environment.getProperty(property);
        } catch (IllegalArgumentException unresolvable) {
            return "${unresolved}";
        }
    }
}
