package com.clinicwave.platform.security;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who is calling, read from the validated access token: the user ({@code sub}) and tenant ({@code tid}), or a
 * service (a client-credentials token, whose {@code sub} is its client id), with its permissions and roles.
 */
public record Caller(String subject, @Nullable String tenantId, @Nullable String clientId, Set<String> authorities,
        boolean service) {

    public static Caller current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken token) {
            return from(token.getToken(), token.getAuthorities());
        }
        throw new IllegalStateException("No authenticated JWT caller");
    }

    public static Caller from(Jwt jwt, Collection<? extends GrantedAuthority> authorities) {
        String tenant = jwt.getClaimAsString("tid");
        String clientId = jwt.getClaimAsString("client_id");
        boolean service = jwt.getClaim("tid") == null && clientId != null && clientId.equals(jwt.getSubject());
        Set<String> names = authorities.stream().map(GrantedAuthority::getAuthority).collect(Collectors.toSet());
        return new Caller(jwt.getSubject(), tenant, clientId, names, service);
    }

    /** True when the token carries the permission (e.g. {@code claims:sync}) or the scope of that name. */
    public boolean has(String permission) {
        return authorities.contains(permission) || authorities.contains("SCOPE_" + permission);
    }

    public boolean hasRole(String role) {
        return authorities.contains("ROLE_" + role);
    }

    public List<String> permissions() {
        return authorities.stream().filter(a -> !a.startsWith("ROLE_") && !a.startsWith("SCOPE_")).sorted().toList();
    }
}
