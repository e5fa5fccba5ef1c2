package com.clinicwave.gateway.security;

import com.clinicwave.gateway.apikey.ApiKeyExchange;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Turns a presented bearer token or API key into a verified token, through the validation cache. */
@Component
class CredentialAuthenticationManager implements ReactiveAuthenticationManager {

    private final TokenValidationCache tokens;
    private final ApiKeyExchange apiKeys;

    CredentialAuthenticationManager(TokenValidationCache tokens, ApiKeyExchange apiKeys) {
        this.tokens = tokens;
        this.apiKeys = apiKeys;
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        Credentials.Presented presented = ((Credentials.PresentedCredential) authentication).presented();
        Mono<VerifiedToken> verified = presented.apiKey()
                ? apiKeys.accessToken(presented.value()).flatMap(tokens::validate)
                : tokens.validate(presented.value());
        return verified.map(VerifiedAuthentication::new);
    }

    /** The authenticated request: Spring Security's JWT authentication, plus the cached verdict it came from. */
    static final class VerifiedAuthentication extends org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken {

        private final transient VerifiedToken verified;

        VerifiedAuthentication(VerifiedToken verified) {
            super(verified.authentication().getToken(), verified.authentication().getAuthorities(),
                    verified.authentication().getName());
            this.verified = verified;
        }

        VerifiedToken verified() {
            return verified;
        }
    }
}
