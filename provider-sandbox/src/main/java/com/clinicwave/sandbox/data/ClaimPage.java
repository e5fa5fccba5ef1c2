package com.clinicwave.sandbox.data;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** One page of a patient's claims in {@code (lastUpdated, id)} order, and the cursor of the next page. */
public record ClaimPage(List<Claim> claims, long total, @Nullable String nextCursor) {
}
