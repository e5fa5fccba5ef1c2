package com.clinicwave.sandbox.data;

import java.util.Locale;

/** Where a claim is in adjudication. */
public enum ClaimStatus {
    SUBMITTED, PENDING, PAID, ADJUSTED, DENIED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ClaimStatus fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }

    /** What a "touch" moves a claim to: adjudication goes on. */
    ClaimStatus next() {
        return switch (this) {
            case SUBMITTED -> PENDING;
            case PENDING -> PAID;
            case PAID -> ADJUSTED;
            case ADJUSTED, DENIED -> PAID;
        };
    }
}
