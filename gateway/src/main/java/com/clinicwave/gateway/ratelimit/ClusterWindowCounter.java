package com.clinicwave.gateway.ratelimit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Fixed-window request counts shared by every replica without a Redis round trip per request: each replica counts
 * locally and adds its counts to the window's Redis counter every {@code sync-interval}, learning the cluster-wide total
 * in the same call. A replica sees its own requests at once and the others' at most one interval late, so the limit
 * overshoots by at most (replicas − 1) × their request rate × the interval — the model of Kong's {@code sync_rate}.
 * If Redis is unreachable, each replica keeps enforcing the limit on its own traffic (fails open across replicas).
 */
final class ClusterWindowCounter {

    private static final Logger log = LoggerFactory.getLogger(ClusterWindowCounter.class);

    /** Adds a replica's counts; the window's key expires a window after its end. Returns the cluster total. */
    private static final RedisScript<Long> ADD = RedisScript.of("""
            local total = redis.call('INCRBY', KEYS[1], ARGV[1])
            if total == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return total
            """, Long.class);

    static final class Window {
        final long id;
        final long endMillis;
        final String redisKey;
        final long windowMillis;
        final AtomicLong unsynced = new AtomicLong();
        final AtomicBoolean syncing = new AtomicBoolean();
        volatile long cluster;

        Window(long id, long windowMillis, String redisKey) {
            this.id = id;
            this.windowMillis = windowMillis;
            this.endMillis = (id + 1) * windowMillis;
            this.redisKey = redisKey;
        }
    }

    private final ReactiveStringRedisTemplate redis;
    private final String prefix;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    ClusterWindowCounter(ReactiveStringRedisTemplate redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    /** Counts one request for {@code key}; returns the window it fell in, with the count including it. */
    Window increment(String key, long windowMillis, long now, long[] countOut) {
        long id = now / windowMillis;
        Window window = windows.get(key);
        if (window == null || window.id != id) {
            window = windows.compute(key, (k, old) -> old != null && old.id == id ? old
                    : new Window(id, windowMillis, prefix + k + ':' + id));
        }
        countOut[0] = window.cluster + window.unsynced.incrementAndGet();
        return window;
    }

    /** Sends every window's unsynced counts to Redis (pipelined by the client) and forgets finished windows. */
    void sync(long now) {
        for (Map.Entry<String, Window> entry : windows.entrySet()) {
            Window window = entry.getValue();
            long unsynced = window.unsynced.get();
            if (unsynced == 0) {
                if (now >= window.endMillis && !window.syncing.get()) {
                    windows.remove(entry.getKey(), window);
                }
                continue;
            }
            if (!window.syncing.compareAndSet(false, true)) {
                continue;
            }
            redis.execute(ADD, List.of(window.redisKey),
                            List.of(Long.toString(unsynced), Long.toString(2 * window.windowMillis)))
                    .next()
                    .subscribe(total -> {
                        window.cluster = total;
                        window.unsynced.addAndGet(-unsynced);
                        window.syncing.set(false);
                    }, error -> {
                        // Keep the counts for the next attempt; meanwhile this replica still counts its own.
                        log.debug("Rate-limit sync failed: {}", error.toString());
                        window.syncing.set(false);
                    }, () -> window.syncing.set(false));
        }
    }

    int size() {
        return windows.size();
    }
}
