package com.clinicwave.claims.claim;

import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/** Filters of a claims listing; {@code from}/{@code to} bound the service date, inclusive. */
public record ClaimFilter(@Nullable String status, @Nullable String claimType, @Nullable LocalDate from,
        @Nullable LocalDate to) {
}
