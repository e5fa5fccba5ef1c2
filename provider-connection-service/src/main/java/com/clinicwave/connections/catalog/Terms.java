package com.clinicwave.connections.catalog;

import java.time.LocalDate;

/** One version of a provider's terms and conditions. */
public record Terms(String providerKey, String version, String termsText, LocalDate effectiveDate, boolean isActive) {
}
