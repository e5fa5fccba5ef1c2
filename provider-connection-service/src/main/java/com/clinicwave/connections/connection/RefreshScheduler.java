package com.clinicwave.connections.connection;

import com.clinicwave.connections.config.ConnectionsProperties;
import com.clinicwave.platform.web.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Refreshes tokens shortly before they expire. Safe with several instances: each connection is claimed with
 * {@code FOR UPDATE SKIP LOCKED} and re-checked under the lock, so one instance refreshes it and the others move on.
 */
@Component
@ConditionalOnProperty(prefix = "clinicwave.connections.refresh", name = "scheduler-enabled", havingValue = "true",
        matchIfMissing = true)
class RefreshScheduler {

    private static final Logger log = LoggerFactory.getLogger(RefreshScheduler.class);

    private final ConnectionRepository connections;
    private final TokenRefresher refresher;
    private final ConnectionsProperties properties;
    private final Clock clock;

    RefreshScheduler(ConnectionRepository connections, TokenRefresher refresher, ConnectionsProperties properties,
            Clock clock) {
        this.connections = connections;
        this.refresher = refresher;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${clinicwave.connections.refresh.interval:30s}",
            initialDelayString = "${clinicwave.connections.refresh.interval:30s}")
    void refreshExpiring() {
        Instant threshold = clock.instant().plus(properties.refresh().ahead());
        for (UUID id : connections.dueForRefresh(threshold, properties.refresh().batchSize())) {
            try {
                refresher.refreshDue(id, threshold);
            } catch (ApiException e) {
                // Provider unavailable: audited by the refresher; the next run tries again.
                log.debug("Automatic refresh of {} deferred: {}", id, e.getMessage());
            } catch (RuntimeException e) {
                log.warn("Automatic refresh of {} failed", id, e);
            }
        }
    }
}
