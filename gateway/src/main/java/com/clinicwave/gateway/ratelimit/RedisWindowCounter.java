package com.clinicwave.gateway.ratelimit;

import java.util.List;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** A fixed-window counter in Redis, shared by every replica: one atomic script call per request. */
@Component
class RedisWindowCounter {

    /** Counts one request; the window starts with its first request and ends with the key's expiry. */
    private static final RedisScript<List> SCRIPT = RedisScript.of("""
            local count = redis.call('INCR', KEYS[1])
            if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
            return {count, ttl}
            """, List.class);

    /** The count in the current window and the milliseconds until it resets. */
    record Window(long count, long resetMillis) {
    }

    private final ReactiveStringRedisTemplate redis;

    RedisWindowCounter(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    Mono<Window> increment(String key, long windowMillis) {
        return redis.execute(SCRIPT, List.of(key), List.of(Long.toString(windowMillis)))
                .next()
                .map(result -> new Window(((Number) result.get(0)).longValue(), ((Number) result.get(1)).longValue()));
    }
}
