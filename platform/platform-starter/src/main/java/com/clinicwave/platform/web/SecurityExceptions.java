package com.clinicwave.platform.web;

/** Recognises Spring Security's exceptions without making Spring Security a dependency of every service. */
final class SecurityExceptions {

    private static final String[] SECURITY_TYPES = {
        "org.springframework.security.access.AccessDeniedException",
        "org.springframework.security.authorization.AuthorizationDeniedException",
        "org.springframework.security.core.AuthenticationException",
    };

    private SecurityExceptions() {
    }

    static boolean isSecurityException(Throwable ex) {
        for (Class<?> type = ex.getClass(); type != null; type = type.getSuperclass()) {
            for (String name : SECURITY_TYPES) {
                if (name.equals(type.getName())) {
                    return true;
                }
            }
        }
        return false;
    }
}
