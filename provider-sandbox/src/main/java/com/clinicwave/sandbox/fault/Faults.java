package com.clinicwave.sandbox.fault;

import com.clinicwave.platform.web.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The faults in force, per provider and API ({@code authorize, token, revoke, userinfo, discovery, fhir, api},
 * or {@code *} for all). Deterministic: a rate fails every 1/rate-th request, {@code times} counts down.
 */
@Component
public class Faults {

    public static final List<String> APIS = List.of("authorize", "token", "revoke", "userinfo", "discovery", "fhir",
            "api", "*");

    private final Map<String, Active> active = new ConcurrentHashMap<>();

    public void set(String provider, String api, FaultSpec spec) {
        api = normalize(api);
        if (!APIS.contains(api)) {
            throw ApiException.badRequest("VALIDATION_FAILED", "api must be one of " + APIS);
        }
        active.put(provider + "/" + api, new Active(spec));
    }

    public void clear(String provider, String api) {
        active.remove(provider + "/" + normalize(api));
    }

    private static String normalize(String api) {
        return "all".equals(api) ? "*" : api;
    }

    public void reset() {
        active.clear();
    }

    /** The faults in force, with how many errors each has injected so far. */
    public Map<String, Object> describe() {
        Map<String, Object> result = new LinkedHashMap<>();
        active.forEach((key, fault) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("fault", fault.spec);
            entry.put("requests", fault.requests.get());
            entry.put("errors_injected", fault.injected.get());
            result.put(key, entry);
        });
        return result;
    }

    /** What to do to one request: its delay and, maybe, the error to answer with. */
    Optional<Decision> decide(String provider, String api) {
        Active specific = active.get(provider + "/" + api);
        Active wildcard = active.get(provider + "/*");
        if (specific == null && wildcard == null) {
            return Optional.empty();
        }
        long latency = Math.max(latency(specific), latency(wildcard));
        Active failing = specific != null && specific.shouldFail() ? specific
                : wildcard != null && wildcard.shouldFail() ? wildcard : null;
        if (failing == null) {
            return Optional.of(new Decision(latency, null, null));
        }
        Integer retryAfter = failing.spec.retryAfterSeconds();
        if (retryAfter == null && failing.spec.status() == 429) {
            retryAfter = 1;
        }
        return Optional.of(new Decision(latency, failing.spec.status(), retryAfter));
    }

    /** An early-expiry override of {@code expires_in} for tokens the provider issues now. */
    public Optional<Long> expiresInOverride(String provider) {
        for (String api : List.of("token", "*")) {
            Active fault = active.get(provider + "/" + api);
            if (fault != null && fault.spec.expiresIn() != null) {
                return Optional.of(fault.spec.expiresIn().longValue());
            }
        }
        return Optional.empty();
    }

    public boolean invalidGrantOnRefresh(String provider) {
        for (String api : List.of("token", "*")) {
            Active fault = active.get(provider + "/" + api);
            if (fault != null && Boolean.TRUE.equals(fault.spec.invalidGrantOnRefresh())) {
                fault.injected.incrementAndGet();
                return true;
            }
        }
        return false;
    }

    private static long latency(@Nullable Active fault) {
        return fault == null || fault.spec.latencyMs() == null ? 0 : fault.spec.latencyMs();
    }

    record Decision(long latencyMs, @Nullable Integer status, @Nullable Integer retryAfterSeconds) {
    }

    private static final class Active {
        final FaultSpec spec;
        final AtomicLong requests = new AtomicLong();
        final AtomicLong injected = new AtomicLong();
        final @Nullable AtomicInteger remaining;

        Active(FaultSpec spec) {
            this.spec = spec;
            this.remaining = spec.times() == null ? null : new AtomicInteger(spec.times());
        }

        boolean shouldFail() {
            if (spec.status() == null) {
                return false;
            }
            long k = requests.incrementAndGet();
            if (spec.errorRate() != null) {
                double rate = spec.errorRate();
                // Deterministic: request k fails when floor(k·rate) steps up, i.e. every 1/rate-th request.
                if (Math.floor(k * rate) == Math.floor((k - 1) * rate)) {
                    return false;
                }
            }
            if (remaining != null && remaining.getAndUpdate(r -> Math.max(0, r - 1)) <= 0) {
                return false;
            }
            injected.incrementAndGet();
            return true;
        }
    }
}
