package com.clinicwave.platform;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Platform settings shared by every service ({@code clinicwave.*}). */
@ConfigurationProperties("clinicwave")
public record PlatformProperties(@DefaultValue Outbox outbox) {

    /** The transactional outbox relay: how many rows a batch sends and how long published rows are kept. */
    public record Outbox(@DefaultValue("true") boolean enabled, @DefaultValue("100") int batchSize,
            @DefaultValue("7d") Duration retention) {
    }
}
