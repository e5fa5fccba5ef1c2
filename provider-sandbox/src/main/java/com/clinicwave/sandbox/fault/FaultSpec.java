package com.clinicwave.sandbox.fault;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.jspecify.annotations.Nullable;

/**
 * A fault to inject into one provider's API. Every field is optional.
 *
 * @param latencyMs delay every matching request by this much
 * @param status answer matching requests with this error status (e.g. 500, 503, 429) instead of serving them
 * @param errorRate only this fraction of requests fail (deterministically: every 1/rate-th request), default all
 * @param times only the next N requests fail, then the fault stays but injects no more errors
 * @param retryAfterSeconds the {@code Retry-After} of injected 429 / 503 answers (default 1 for 429)
 * @param expiresIn token API: issue access tokens that expire after this many seconds (early expiry)
 * @param invalidGrantOnRefresh token API: refresh grants fail with {@code invalid_grant} and revoke the grant
 */
public record FaultSpec(
        @Nullable @PositiveOrZero @Max(60_000) Integer latencyMs,
        @Nullable @Min(400) @Max(599) Integer status,
        @Nullable @DecimalMin("0.0") @DecimalMax("1.0") Double errorRate,
        @Nullable @Positive Integer times,
        @Nullable @PositiveOrZero @Max(86_400) Integer retryAfterSeconds,
        @Nullable @Positive Integer expiresIn,
        @Nullable Boolean invalidGrantOnRefresh) {
}
