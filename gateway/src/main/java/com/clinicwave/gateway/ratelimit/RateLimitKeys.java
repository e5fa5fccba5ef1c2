package com.clinicwave.gateway.ratelimit;

import com.clinicwave.gateway.edge.ClientAddress;
import com.clinicwave.gateway.security.AuthenticatedCaller;
import com.clinicwave.gateway.security.VerifiedToken;
import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import reactor.core.publisher.Mono;

/**
 * The {@code RequestRateLimiter}'s keys: per API key when the caller came with one, else per principal ({@code sub})
 * when authenticated, else per client IP — exactly counted on the credential endpoints
 * ({@code rate-limit.credential-paths}). The caller and the client IP are what the edge and authentication filters
 * established; a client cannot choose its key.
 */
@Configuration(proxyBeanMethods = false)
class RateLimitKeys {

    /** Per API key ({@code key:<api_key_id>}), for callers that came with one. */
    static String apiKey(VerifiedToken caller) {
        return EdgeRateLimiter.AUTHENTICATED + "key:" + caller.apiKeyId();
    }

    /** Per principal ({@code sub:<subject>}). */
    static String principal(VerifiedToken caller) {
        return EdgeRateLimiter.AUTHENTICATED + "sub:" + caller.principal();
    }

    @Bean
    @Primary
    KeyResolver edgeKeyResolver(RateLimiter limiter) {
        return exchange -> {
            VerifiedToken caller = AuthenticatedCaller.of(exchange);
            if (caller != null) {
                return Mono.just(caller.apiKeyId() != null ? apiKey(caller) : principal(caller));
            }
            String ip = ClientAddress.of(exchange);
            return Mono.just(limiter.isCredentialPath(exchange.getRequest().getPath().value())
                    ? EdgeRateLimiter.CREDENTIALS + ip : EdgeRateLimiter.ANONYMOUS + ip);
        };
    }
}
