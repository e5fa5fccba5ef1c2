package com.clinicwave.platform.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Turns a ClinicWave access token into authorities: each {@code permissions} entry as itself (e.g.
 * {@code claims:sync}), each {@code roles} entry as {@code ROLE_<role>}, each scope as {@code SCOPE_<scope>}.
 */
public final class ClinicWaveJwtAuthorities implements Converter<Jwt, AbstractAuthenticationToken> {

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        return new JwtAuthenticationToken(jwt, authorities(jwt), jwt.getSubject());
    }

    public static Collection<GrantedAuthority> authorities(Jwt jwt) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (String permission : strings(jwt.getClaim("permissions"))) {
            authorities.add(new SimpleGrantedAuthority(permission));
        }
        for (String role : strings(jwt.getClaim("roles"))) {
            authorities.add(new SimpleGrantedAuthority("ROLE_" + role));
        }
        Object scope = jwt.getClaim("scope");
        Collection<String> scopes = scope instanceof String s ? List.of(s.split(" ")) : strings(scope);
        for (String s : scopes) {
            if (!s.isBlank()) {
                authorities.add(new SimpleGrantedAuthority("SCOPE_" + s));
            }
        }
        return authorities;
    }

    private static Collection<String> strings(Object claim) {
        if (claim instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        return List.of();
    }
}
