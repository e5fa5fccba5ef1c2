package com.clinicwave.platform;

import com.netflix.discovery.EurekaClient;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.cloud.netflix.eureka.serviceregistry.EurekaAutoServiceRegistration;
import org.springframework.context.SmartLifecycle;

/**
 * On SIGTERM, takes the instance out of Eureka before the web server's graceful shutdown starts refusing new
 * requests and drains the ones in flight (issue 17). Spring Cloud's own deregistration runs in phase 0, after the
 * web server has drained and stopped, and its ContextClosedEvent listener only marks the instance DOWN
 * asynchronously: the graceful shutdown began refusing connections while the load balancers still sent requests to
 * the instance. This lifecycle stops first (its phase is above {@link WebServerGracefulShutdownLifecycle}'s): it marks the
 * instance DOWN and cancels its registration (a synchronous call to the registry), then keeps serving for
 * {@code clinicwave.shutdown.deregistration-delay}, the time the callers' registry fetch and load-balancer cache need
 * to forget it; only then does the graceful shutdown drain what is still in flight.
 */
public class DeregisterBeforeDrain implements SmartLifecycle {

    /** Above the graceful shutdown's phase, so this stops before it. */
    public static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 512;

    private static final Logger log = LoggerFactory.getLogger(DeregisterBeforeDrain.class);

    private final ObjectProvider<EurekaAutoServiceRegistration> registration;
    private final ObjectProvider<EurekaClient> client;
    private final Duration delay;
    private volatile boolean running;

    public DeregisterBeforeDrain(ObjectProvider<EurekaAutoServiceRegistration> registration,
            ObjectProvider<EurekaClient> client, Duration delay) {
        this.registration = registration;
        this.client = client;
        this.delay = delay;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        EurekaAutoServiceRegistration auto = registration.getIfAvailable();
        EurekaClient eureka = client.getIfAvailable();
        if (auto == null || eureka == null || !eureka.getEurekaClientConfig().shouldRegisterWithEureka()) {
            return; // not registered
        }
        long started = System.nanoTime();
        try {
            // Spring Cloud's ContextClosedEvent listener has usually marked the instance DOWN already (an
            // asynchronous update); the shutdown of the client cancels the registration, and waits for the answer.
            auto.stop();
            eureka.shutdown();
        } catch (RuntimeException e) {
            log.warn("Deregistration from Eureka failed; the registry evicts this instance when its lease expires: {}",
                    e.toString());
        }
        log.info("Deregistered from Eureka in {} ms; serving for {} s more while load balancers drop this instance, "
                + "then draining", (System.nanoTime() - started) / 1_000_000, delay.toMillis() / 1000.0);
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
