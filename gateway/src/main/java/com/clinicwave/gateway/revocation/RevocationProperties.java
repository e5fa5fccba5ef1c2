package com.clinicwave.gateway.revocation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Instant revocation ({@code clinicwave.gateway.revocation.*}): the topic auth-service publishes revocations on, the
 * Redis key prefix of the shared deny-list, how far back a starting replica replays the topic (at least the longest
 * access-token lifetime), and auth-service's Redis channel and set — the second path, which keeps working while Kafka
 * is down.
 */
@ConfigurationProperties("clinicwave.gateway.revocation")
public record RevocationProperties(
        @DefaultValue("auth.events") String topic,
        @DefaultValue("clinicwave:gateway:deny:") String redisKeyPrefix,
        @DefaultValue("1h") Duration replayWindow,
        @DefaultValue("30s") Duration startupLoadTimeout,
        /**
         * auth-service's Redis channel of revocations ({@code sid:<id> <expiry ms>}, also {@code jti:}, {@code key:}):
         * the path that needs no Kafka.
         */
        @DefaultValue("auth:revocations") String authChannel,
        /**
         * auth-service's sorted set of live revocations (member {@code sid:<id>}, {@code jti:<id>} or
         * {@code key:<api key id>}, score expiry ms).
         */
        @DefaultValue("auth:revoked") String authSet,
        /** How often the set is merged again (heals a message missed while the subscription reconnected). */
        @DefaultValue("10s") Duration authSetReloadInterval) {
}
