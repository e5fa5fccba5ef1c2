package com.clinicwave.auth.oauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Keeps registered clients in memory for a short time. Besides saving a query on every token request, this matters
 * for correctness under load: the JDBC authorization store resolves the client while it still holds its result
 * set's connection, so without a cache each lookup needs two pool connections at once and a saturated pool
 * deadlocks until the connection timeout.
 */
final class CachingRegisteredClientRepository implements RegisteredClientRepository {

    private record Entry(@Nullable RegisteredClient client, Instant loadedAt) {
    }

    private final RegisteredClientRepository delegate;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Entry> byId = new ConcurrentHashMap<>();
    private final Map<String, Entry> byClientId = new ConcurrentHashMap<>();

    CachingRegisteredClientRepository(RegisteredClientRepository delegate, Duration ttl, Clock clock) {
        this.delegate = delegate;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        delegate.save(registeredClient);
        byId.clear();
        byClientId.clear();
    }

    @Override
    public @Nullable RegisteredClient findById(String id) {
        return cached(byId, id, delegate::findById);
    }

    @Override
    public @Nullable RegisteredClient findByClientId(String clientId) {
        return cached(byClientId, clientId, delegate::findByClientId);
    }

    private @Nullable RegisteredClient cached(Map<String, Entry> cache, String key,
            Function<String, @Nullable RegisteredClient> loader) {
        Instant now = clock.instant();
        Entry entry = cache.get(key);
        if (entry == null || entry.loadedAt().plus(ttl).isBefore(now)) {
            RegisteredClient client = loader.apply(key);
            if (client == null) {
                // Unknown ids are not cached (a flood of random client ids must not grow the map).
                cache.remove(key);
                return null;
            }
            entry = new Entry(client, now);
            cache.put(key, entry);
        }
        return entry.client();
    }
}
