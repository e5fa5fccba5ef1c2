package com.clinicwave.gateway.proxy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * The instances of each service, from service discovery (Eureka, or a static list), refreshed every few seconds off
 * the request path and picked round-robin. The service {@code gateway} is this gateway's own internal web server (the
 * documentation UI).
 */
class Upstreams {

    static final String SELF = "gateway";
    private static final Logger log = LoggerFactory.getLogger(Upstreams.class);

    /** One upstream address. */
    record Instance(String host, int port, String hostHeader, String key) {
        Instance(String host, int port) {
            this(host, port, host + ':' + port, host + ':' + port);
        }
    }

    private record Instances(List<Instance> list, AtomicInteger next) {
    }

    private final DiscoveryClient discovery;
    private final IntSupplier selfPort;
    private final Map<String, Instances> byService = new ConcurrentHashMap<>();

    Upstreams(DiscoveryClient discovery, IntSupplier selfPort) {
        this.discovery = discovery;
        this.selfPort = selfPort;
    }

    /** The next instance of a service, or {@code null} when none is registered. */
    @Nullable Instance choose(String service) {
        if (SELF.equals(service)) {
            int port = selfPort.getAsInt();
            return new Instance("127.0.0.1", port);
        }
        Instances instances = byService.get(service);
        if (instances == null) {
            instances = byService.computeIfAbsent(service, s -> new Instances(lookup(s), new AtomicInteger()));
        }
        List<Instance> list = instances.list();
        if (list.isEmpty()) {
            return null;
        }
        return list.get(Math.floorMod(instances.next().getAndIncrement(), list.size()));
    }

    /** Another instance than {@code failed} if there is one (for a retry). */
    @Nullable Instance chooseOther(String service, @Nullable Instance failed) {
        Instance first = choose(service);
        if (first == null || failed == null || !first.equals(failed)) {
            return first;
        }
        Instances instances = byService.get(service);
        return instances != null && instances.list().size() > 1 ? choose(service) : first;
    }

    void refresh() {
        byService.replaceAll((service, old) -> {
            List<Instance> fresh = lookup(service);
            return fresh.equals(old.list()) ? old : new Instances(fresh, old.next());
        });
    }

    private List<Instance> lookup(String service) {
        try {
            return discovery.getInstances(service).stream().map(Upstreams::instance).toList();
        } catch (RuntimeException e) {
            log.warn("Service discovery failed for {}: {}", service, e.toString());
            Instances old = byService.get(service);
            return old == null ? List.of() : old.list();
        }
    }

    private static Instance instance(ServiceInstance instance) {
        URI uri = instance.getUri();
        String host = uri.getHost() != null ? uri.getHost() : instance.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : instance.getPort();
        return new Instance(host, port);
    }
}
