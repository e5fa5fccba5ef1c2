package com.clinicwave.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Idle keep-alive connections to upstream instances, one pool per event loop: a client connection borrows a
 * connection of its own event loop for one request and gives it back, so no locks and no thread hops.
 */
final class UpstreamPool {

    private final int maxIdle;
    private final FastThreadLocal<Map<String, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
        @Override
        protected Map<String, ArrayDeque<Channel>> initialValue() {
            return new HashMap<>();
        }
    };

    UpstreamPool(int maxIdle) {
        this.maxIdle = maxIdle;
    }

    /** An open idle connection to the instance, or {@code null}. Call on the event loop only. */
    @Nullable Channel acquire(String instanceKey) {
        ArrayDeque<Channel> channels = idle.get().get(instanceKey);
        if (channels == null) {
            return null;
        }
        Channel channel;
        while ((channel = channels.pollLast()) != null) {
            if (channel.isActive()) {
                return channel;
            }
        }
        return null;
    }

    void release(String instanceKey, Channel channel) {
        ArrayDeque<Channel> channels = idle.get().computeIfAbsent(instanceKey, k -> new ArrayDeque<>());
        if (channels.size() >= maxIdle || !channel.isActive()) {
            channel.close();
        } else {
            channels.addLast(channel);
        }
    }
}
