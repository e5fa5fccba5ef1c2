package com.clinicwave.gateway.revocation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Instant revocation ({@code clinicwave.gateway.revocation.*}): the topic auth-service publishes revocations on, the
 * Redis key prefix of the shared deny-list, and how far back a starting replica replays the topic (at least the
 * longest access-token lifetime).
 */
@ConfigurationProperties("clinicwave.gateway.revocation")
public record RevocationProperties(
        @DefaultValue("auth.events") String topic,
        @DefaultValue("clinicwave:gateway:deny:") String redisKeyPrefix,
        @DefaultValue("1h") Duration replayWindow,
        @DefaultValue("30s") Duration startupLoadTimeout) {
}
