package com.clinicwave.gateway.security;

import java.util.Collection;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads the caller's credential: {@code Authorization: Bearer <jwt>}, {@code Authorization: ApiKey <key>} or
 * {@code X-API-Key: <key>}. Other schemes (e.g. HTTP Basic client authentication at the token endpoint) are not the
 * gateway's to check and pass through.
 */
final class Credentials implements ServerAuthenticationConverter {

    static final String API_KEY_HEADER = "X-API-Key";

    /** An unverified credential, before the authentication manager turns it into a verified token. */
    record Presented(String value, boolean apiKey) {
    }

    static final class PresentedCredential extends AbstractAuthenticationToken {

        private final Presented presented;

        PresentedCredential(Presented presented) {
            super((Collection) List.of());
            this.presented = presented;
        }

        Presented presented() {
            return presented;
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Object getPrincipal() {
            return "";
        }
    }

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        String apiKey = headers.getFirst(API_KEY_HEADER);
        if (apiKey != null && !apiKey.isBlank()) {
            return Mono.just(new PresentedCredential(new Presented(apiKey.strip(), true)));
        }
        String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null) {
            return Mono.empty();
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Mono.just(new PresentedCredential(new Presented(authorization.substring(7).strip(), false)));
        }
        if (authorization.regionMatches(true, 0, "ApiKey ", 0, 7)) {
            return Mono.just(new PresentedCredential(new Presented(authorization.substring(7).strip(), true)));
        }
        return Mono.empty();
    }
}
