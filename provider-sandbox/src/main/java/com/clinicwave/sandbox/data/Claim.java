package com.clinicwave.sandbox.data;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * One generated claim. Amounts are exact decimals (scale 2) in {@code currency} (always USD).
 *
 * @param index the claim's position in the patient's history, part of its stable id
 */
public record Claim(String id, String patientId, int index, LocalDate serviceDate, String providerName,
        String description, ClaimType type, ClaimStatus status, BigDecimal totalAmount,
        BigDecimal patientResponsibility, String currency, Instant lastUpdated) {
}
