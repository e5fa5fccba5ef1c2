package com.clinicwave.athena.upstream;

import com.clinicwave.athena.config.AthenaProperties;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The Resilience4j policies around every athenahealth call, one set per API base URL (one athenahealth
 * environment): retry (backoff, or {@code Retry-After} on 429, within one time budget per call) → circuit breaker
 * → client-side rate limiter (athenahealth's per-second limit) → bulkhead → time limit per attempt.
 */
@Component
public class AthenaResilience implements DisposableBean {

    private final CircuitBreakerRegistry circuitBreakers;
    private final RetryRegistry retries;
    private final RateLimiterRegistry rateLimiters;
    private final BulkheadRegistry bulkheads;
    private final TimeLimiterRegistry timeLimiters;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();
    private final Duration budget;

    AthenaResilience(AthenaProperties properties, MeterRegistry meterRegistry) {
        AthenaProperties.Upstream upstream = properties.upstream();
        this.budget = upstream.budget();
        this.circuitBreakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(upstream.slidingWindowSize())
                .minimumNumberOfCalls(upstream.minimumNumberOfCalls())
                .failureRateThreshold(upstream.failureRateThreshold())
                .waitDurationInOpenState(upstream.openStateWait())
                .permittedNumberOfCallsInHalfOpenState(3)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordExceptions(UpstreamException.Failure.class, TimeoutException.class)
                .build());
        Duration maxRetryAfter = upstream.maxRetryAfter();
        Predicate<Throwable> retryable = e -> e instanceof UpstreamException.Failure || e instanceof TimeoutException
                || e instanceof UpstreamException.RateLimited limited
                        && (limited.retryAfter() == null || limited.retryAfter().compareTo(maxRetryAfter) <= 0);
        Duration backoff = upstream.backoff();
        IntervalBiFunction<Object> interval = (attempt, outcome) -> {
            if (outcome.isLeft() && outcome.getLeft() instanceof UpstreamException.RateLimited limited
                    && limited.retryAfter() != null) {
                return Math.max(limited.retryAfter().toMillis(), backoff.toMillis());
            }
            return backoff.toMillis() * (1L << Math.min(attempt - 1, 5));
        };
        this.retries = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(upstream.maxAttempts())
                .retryOnException(retryable)
                .intervalBiFunction(interval)
                .failAfterMaxAttempts(false)
                .build());
        this.rateLimiters = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(upstream.requestsPerSecond())
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(upstream.rateLimitWait())
                .build());
        this.bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(upstream.maxConcurrentCalls())
                .maxWaitDuration(upstream.bulkheadWait())
                .build());
        this.timeLimiters = TimeLimiterRegistry.of(TimeLimiterConfig.custom()
                .timeoutDuration(upstream.timeout())
                .cancelRunningFuture(true)
                .build());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(circuitBreakers).bindTo(meterRegistry);
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meterRegistry);
        TaggedRateLimiterMetrics.ofRateLimiterRegistry(rateLimiters).bindTo(meterRegistry);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meterRegistry);
        TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(timeLimiters).bindTo(meterRegistry);
    }

    /** Runs one athenahealth request under the policies of its environment ({@code name}). */
    public <T> T call(String name, Supplier<T> request) {
        CircuitBreaker circuitBreaker = circuitBreakers.circuitBreaker(name);
        Retry retry = retries.retry(name);
        RateLimiter rateLimiter = rateLimiters.rateLimiter(name);
        Bulkhead bulkhead = bulkheads.bulkhead(name);
        TimeLimiter timeLimiter = timeLimiters.timeLimiter(name);
        // Tracing and logging context follow the request onto the attempt's thread.
        Executor traced = snapshots.captureAll().wrapExecutor(executor);
        long deadline = System.nanoTime() + budget.toNanos();
        Supplier<T> attempt = () -> {
            try {
                return timeLimiter.executeFutureSupplier(() -> CompletableFuture.supplyAsync(request, traced));
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new UpstreamException.Failure(e instanceof TimeoutException ? "timed out" : "failed");
            }
        };
        Supplier<T> guarded = Bulkhead.decorateSupplier(bulkhead, attempt);
        guarded = RateLimiter.decorateSupplier(rateLimiter, guarded);
        Supplier<T> protectedCall = CircuitBreaker.decorateSupplier(circuitBreaker, guarded);
        // Checked before every attempt, outside the breaker: a spent budget says nothing about athenahealth's health.
        Supplier<T> withinBudget = () -> {
            if (System.nanoTime() - deadline > 0) {
                throw new UpstreamException.BudgetExhausted();
            }
            return protectedCall.get();
        };
        guarded = Retry.decorateSupplier(retry, withinBudget);
        return guarded.get();
    }

    /** The circuit breaker of an environment (state for operations and tests). */
    public CircuitBreaker circuitBreaker(String name) {
        return circuitBreakers.circuitBreaker(name);
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
