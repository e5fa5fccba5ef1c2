package com.clinicwave.auth.state;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;

/**
 * Redis holds auth-service's security state: the revocation denylist, refresh-token families and their reuse
 * markers, login failure counters, rate-limit windows. When it cannot be read or written the service fails closed:
 * the request is answered 503 {@value #UNAVAILABLE} (issue 13, item 6) — never a 200 for a logout or revocation
 * that was not recorded, never a login that skipped its failure counter or lockout.
 */
public final class SecurityState {

    /** Problem code of the 503 answered when the security state cannot be read or written. */
    public static final String UNAVAILABLE = "SECURITY_STATE_UNAVAILABLE";
    public static final String DETAIL = "The security state store is unavailable; nothing was changed, retry later";

    private SecurityState() {
    }

    /** True when the failure (or one of its causes) is Redis not answering or refusing. */
    public static boolean isStoreFailure(@Nullable Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RedisConnectionFailureException || t instanceof RedisSystemException
                    || t.getClass().getName().startsWith("io.lettuce.core.")) {
                return true;
            }
            if (t instanceof QueryTimeoutException && t.getCause() != null
                    && t.getCause().getClass().getName().startsWith("io.lettuce.core.")) {
                return true;
            }
        }
        return false;
    }
}
