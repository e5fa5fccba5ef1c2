package com.clinicwave.claims.claim.web;

import com.clinicwave.claims.claim.ClaimEvents;
import com.clinicwave.claims.claim.ClaimFilter;
import com.clinicwave.claims.claim.ClaimQueries;
import com.clinicwave.claims.claim.ClaimView;
import com.clinicwave.claims.connections.ConnectionLookup;
import com.clinicwave.platform.security.Caller;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A connection's claims, and the user's verification of a claim (API.md "Claims"). */
@RestController
class ClaimsController {

    private static final int MAX_SIZE = 100;
    private static final int MAX_PAGE = 100_000;
    private static final Pattern TOKEN = Pattern.compile("[a-z0-9_-]{1,50}");
    private static final Set<String> VERIFICATIONS = Set.of("verified", "disputed");

    private final ConnectionLookup connections;
    private final ClaimQueries claims;
    private final ClaimEvents events;

    ClaimsController(ConnectionLookup connections, ClaimQueries claims, ClaimEvents events) {
        this.events = events;
        this.connections = connections;
        this.claims = claims;
    }

    record PageInfo(int number, int size, long totalElements, int totalPages) {
    }

    record ClaimsPage(List<ClaimView> claims, PageInfo page) {
    }

    record VerificationRequest(@Nullable String verificationStatus) {
    }

    @GetMapping("/api/connections/{connectionId}/claims")
    ClaimsPage list(@PathVariable String connectionId, @RequestParam(required = false) @Nullable String status,
            @RequestParam(name = "claim_type", required = false) @Nullable String claimType,
            @RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
            @RequestParam(required = false) @Nullable String page, @RequestParam(required = false) @Nullable String size) {
        UUID id = uuid(connectionId, "Connection");
        connections.findOwned(id, Caller.current()).orElseThrow(() -> ApiException.notFound("Connection"));
        ClaimFilter filter = new ClaimFilter(token(status, "status"), token(claimType, "claim_type"),
                date(from, "from"), date(to, "to"));
        if (filter.from() != null && filter.to() != null && filter.from().isAfter(filter.to())) {
            throw invalid("'from' must not be after 'to'");
        }
        int pageNumber = number(page, "page", 0, 0, MAX_PAGE);
        int pageSize = number(size, "size", 20, 1, MAX_SIZE);
        long total = claims.count(id, filter);
        List<ClaimView> items = claims.list(id, filter, pageNumber, pageSize);
        int pages = (int) ((total + pageSize - 1) / pageSize);
        return new ClaimsPage(items, new PageInfo(pageNumber, pageSize, total, pages));
    }

    @PatchMapping("/api/claims/{claimId}/verification")
    @Transactional
    ClaimView verify(@PathVariable String claimId, @RequestBody @Nullable VerificationRequest request) {
        UUID id = uuid(claimId, "Claim");
        String status = request == null ? null : request.verificationStatus();
        if (status == null || !VERIFICATIONS.contains(status)) {
            throw invalid("verification_status must be 'verified' or 'disputed'");
        }
        Caller caller = Caller.current();
        if (caller.service() || caller.tenantId() == null) {
            throw ApiException.notFound("Claim");
        }
        ClaimView before = claims.findOwned(id, caller.subject(), caller.tenantId())
                .orElseThrow(() -> ApiException.notFound("Claim"));
        claims.setVerification(id, status);
        if (!status.equals(before.verificationStatus())) {
            events.verificationChanged(before, status, caller.subject(), caller.tenantId());
        }
        return claims.findOwned(id, caller.subject(), caller.tenantId()).orElseThrow();
    }

    static UUID uuid(String value, String what) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            // Not a valid id: it cannot name anything the caller owns.
            throw ApiException.notFound(what);
        }
    }

    private static @Nullable String token(@Nullable String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String normalized = value.strip().toLowerCase(java.util.Locale.ROOT);
        if (!TOKEN.matcher(normalized).matches()) {
            throw invalid("'" + name + "' must be a short code such as 'pending' or 'medical'");
        }
        return normalized;
    }

    private static @Nullable LocalDate date(@Nullable String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw invalid("'" + name + "' must be a date like 2024-01-31");
        }
    }

    private static int number(@Nullable String value, String name, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < min || n > max) {
                throw invalid("'" + name + "' must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid("'" + name + "' must be a whole number");
        }
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest(ProblemCodes.VALIDATION_FAILED, detail);
    }
}
