package com.clinicwave.gateway.apikey;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The API-key exchange at auth-service ({@code clinicwave.gateway.api-keys.*}): where, with which client credentials,
 * how long to wait, and how long before the exchanged token's expiry the cached token is dropped.
 */
@ConfigurationProperties("clinicwave.gateway.api-keys")
public record ApiKeyProperties(
        String exchangeUri,
        @DefaultValue("gateway") String clientId,
        String clientSecret,
        @DefaultValue("3s") Duration timeout,
        @DefaultValue("30s") Duration refreshBeforeExpiry,
        @DefaultValue("10000") long cacheMaxKeys) {
}
