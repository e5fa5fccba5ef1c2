package com.clinicwave.claims.sources;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/** One claim as a provider reports it, normalised to seed 004's fields; amounts exact, in {@code currency}. */
public record ClaimData(String providerClaimId, String claimType, @Nullable LocalDate serviceDate,
        @Nullable String providerName, @Nullable String patientName, @Nullable String serviceDescription,
        BigDecimal totalAmount, BigDecimal patientResponsibility, String currency, String status,
        @Nullable Instant sourceLastUpdated) {
}
