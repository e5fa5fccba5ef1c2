package com.clinicwave.claims.sources;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;

/**
 * The Resilience4j policies around every call this service makes (configured in {@code resilience4j.*} of
 * deploy/config-repo/claims-service.yml): retry with exponential backoff → circuit breaker → time limit per attempt →
 * bulkhead. Instances {@value #ATHENA} and {@value #CONNECTIONS}; providers' FHIR servers get one set per FHIR base
 * URL (one provider), from the shared config {@value #FHIR_CONFIG}, so one failing provider does not stop the others.
 *
 * <p>Only 429, 5xx, I/O errors and timeouts are retried and count against a breaker ({@link Transient}); a 4xx fails
 * at once. An open breaker refuses the call without touching the network: {@link CallNotPermittedException}, which
 * callers turn into {@link SyncFailure#CIRCUIT_OPEN}.
 */
@Component
public class UpstreamResilience implements DisposableBean {

    public static final String FHIR_CONFIG = "fhir-provider";
    public static final String ATHENA = "athena-service";
    public static final String CONNECTIONS = "provider-connection-service";

    private final CircuitBreakerRegistry circuitBreakers;
    private final RetryRegistry retries;
    private final BulkheadRegistry bulkheads;
    private final TimeLimiterRegistry timeLimiters;
    private final ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor();
    private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();

    UpstreamResilience(CircuitBreakerRegistry circuitBreakers, RetryRegistry retries, BulkheadRegistry bulkheads,
            TimeLimiterRegistry timeLimiters) {
        this.circuitBreakers = circuitBreakers;
        this.retries = retries;
        this.bulkheads = bulkheads;
        this.timeLimiters = timeLimiters;
    }

    /** One call to a provider's FHIR server under that server's policies. */
    public <T> T fhir(URI base, Supplier<T> call) {
        return call(fhirName(base), FHIR_CONFIG, call);
    }

    /** One call to a configured instance ({@value #ATHENA}, {@value #CONNECTIONS}). */
    public <T> T call(String instance, Supplier<T> call) {
        return call(instance, instance, call);
    }

    /** The breaker of a provider's FHIR server (state for operations and tests). */
    public CircuitBreaker fhirCircuitBreaker(URI base) {
        return circuitBreakers.circuitBreaker(fhirName(base), FHIR_CONFIG);
    }

    private <T> T call(String name, String config, Supplier<T> call) {
        Retry retry = config.equals(name) ? retries.retry(name) : retries.retry(name, config);
        CircuitBreaker circuitBreaker = config.equals(name) ? circuitBreakers.circuitBreaker(name)
                : circuitBreakers.circuitBreaker(name, config);
        TimeLimiter timeLimiter = config.equals(name) ? timeLimiters.timeLimiter(name)
                : timeLimiters.timeLimiter(name, config);
        Bulkhead bulkhead = config.equals(name) ? bulkheads.bulkhead(name) : bulkheads.bulkhead(name, config);
        // Tracing and logging context follow the call onto the attempt's thread.
        var traced = snapshots.captureAll().wrapExecutor(attempts);
        Supplier<T> limited = Bulkhead.decorateSupplier(bulkhead, call);
        Supplier<T> attempt = () -> {
            try {
                return timeLimiter.executeFutureSupplier(() -> CompletableFuture.supplyAsync(limited, traced));
            } catch (RuntimeException e) {
                throw e;
            } catch (TimeoutException e) {
                throw new ResourceAccessException("No answer within " + timeLimiter.getTimeLimiterConfig()
                        .getTimeoutDuration().toMillis() + " ms");
            } catch (Exception e) {
                throw new ResourceAccessException("The call failed: " + e.getClass().getSimpleName());
            }
        };
        return Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(circuitBreaker, attempt)).get();
    }

    /** Breaker names end up in metric tags: scheme, host, port and path only (never a query). */
    private static String fhirName(URI base) {
        return "fhir:" + base.getScheme() + "://" + base.getAuthority() + base.getPath();
    }

    /** A sync's failure for a call refused by an open breaker or a full bulkhead, else null. */
    public static @Nullable SyncFailure refused(RuntimeException e, String what) {
        if (e instanceof CallNotPermittedException) {
            return new SyncFailure(SyncFailure.CIRCUIT_OPEN, what + " is failing; calls are paused for a while");
        }
        if (e instanceof BulkheadFullException) {
            return new SyncFailure(SyncFailure.UPSTREAM_UNAVAILABLE, what + " has too many calls in flight");
        }
        return null;
    }

    @Override
    public void destroy() {
        attempts.shutdownNow();
    }

    /**
     * What is worth retrying and counts against a breaker (named in claims-service.yml): 429, 5xx, I/O errors and
     * timeouts, and provider-connection-service's answers its client reports as {@code UPSTREAM_UNAVAILABLE}. A 4xx
     * is the request's fault and fails at once.
     */
    public static final class Transient implements Predicate<Throwable> {

        @Override
        public boolean test(Throwable e) {
            if (e instanceof HttpStatusCodeException status) {
                int code = status.getStatusCode().value();
                return code == 429 || code >= 500;
            }
            if (e instanceof SyncFailure failure) {
                // ProviderConnectionsClient keeps the I/O error as the cause and names the status in the reason.
                String reason = String.valueOf(failure.getMessage());
                return SyncFailure.UPSTREAM_UNAVAILABLE.equals(failure.code())
                        && (failure.getCause() instanceof RestClientException || reason.contains("(HTTP 5")
                                || reason.contains("(HTTP 429)"));
            }
            return e instanceof RestClientException || e instanceof TimeoutException;
        }
    }
}
