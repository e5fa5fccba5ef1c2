package com.clinicwave.claims.claim;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A claim as the API shows it (API.md "Claims"; amounts exact, with their currency). */
public record ClaimView(UUID id, UUID connectionId, String providerClaimId, String claimType,
        @Nullable LocalDate serviceDate, @Nullable String providerName, @Nullable String patientName,
        @Nullable String serviceDescription, BigDecimal totalAmount, BigDecimal patientResponsibility, String currency,
        String status, String verificationStatus, Instant createdAt, Instant updatedAt,
        @Nullable Instant sourceLastUpdated) {
}
