package com.clinicwave.auth.audit.web;

import com.clinicwave.auth.admin.Callers;
import com.clinicwave.auth.admin.Paged;
import com.clinicwave.auth.audit.AuditTrail;
import com.clinicwave.auth.audit.AuditTrail.Filter;
import com.clinicwave.auth.audit.AuditTrail.Verification;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's tenant's audit trail ({@code audit:read}): read and export (JSON or CSV, paged, filtered by actor,
 * action and time) and verify its hash chain. Another tenant's rows are never in any answer (the tenant is the
 * token's {@code tid}, not a parameter).
 */
@RestController
@RequestMapping("/api/v1/admin/audit")
@PreAuthorize("hasAuthority('audit:read')")
@Tag(name = "tenant admin: audit", description = "The tenant's audit trail")
@SecurityRequirement(name = "bearer")
class AuditController {

    /** One audit row as exported. */
    record AuditRow(long id, long chainSeq, Instant occurredAt, String action, @Nullable String actor,
            @Nullable String userId, @Nullable String ip, @Nullable String detail, @Nullable String prevHash,
            @Nullable String rowHash) {
    }

    private static final int MAX_CSV_SIZE = 5000;

    private final AuditTrail trail;

    AuditController(AuditTrail trail) {
        this.trail = trail;
    }

    @GetMapping
    @Operation(summary = "Audit rows of the tenant, newest first: filters actor, action, from, to (ISO-8601, [from, to)); "
            + "format=json (default, size 1-100) or csv (size 1-5000)")
    ResponseEntity<?> list(@AuthenticationPrincipal Jwt jwt, @RequestParam(required = false) @Nullable String actor,
            @RequestParam(required = false) @Nullable String action, @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size, @RequestParam(defaultValue = "json") String format) {
        UUID tenant = Callers.tenant(jwt);
        if (actor != null && actor.length() > 200 || action != null && action.length() > 100) {
            throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED, "actor: at most 200, action: at most 100 characters");
        }
        Filter filter = new Filter(blank(actor), blank(action), instant("from", from), instant("to", to));
        boolean csv = "csv".equals(format);
        if (!csv && !"json".equals(format)) {
            throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED, "format: json or csv");
        }
        if (csv) {
            if (page < 0 || page > 100_000 || size < 1 || size > MAX_CSV_SIZE) {
                throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED, "page: 0-100000, size: 1-" + MAX_CSV_SIZE);
            }
        } else {
            Paged.check(page, size);
        }
        List<AuditRow> rows = trail.list(tenant, filter, page, size).stream().map(r -> new AuditRow(r.entry().id(),
                r.entry().chainSeq(), r.entry().occurredAt(), r.entry().type(), r.entry().actor(),
                r.entry().userId() == null ? null : r.entry().userId().toString(), r.entry().ip(), r.entry().detail(),
                r.entry().prevHash(), r.rowHash())).toList();
        if (!csv) {
            return ResponseEntity.ok(new Paged<>(rows, page, size, trail.count(tenant, filter)));
        }
        StringBuilder out = new StringBuilder("id,chain_seq,occurred_at,action,actor,user_id,ip,detail,prev_hash,row_hash\r\n");
        for (AuditRow r : rows) {
            out.append(r.id()).append(',').append(r.chainSeq()).append(',').append(cell(r.occurredAt().toString()))
                    .append(',').append(cell(r.action())).append(',').append(cell(r.actor())).append(',')
                    .append(cell(r.userId())).append(',').append(cell(r.ip())).append(',').append(cell(r.detail()))
                    .append(',').append(cell(r.prevHash())).append(',').append(cell(r.rowHash())).append("\r\n");
        }
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit.csv\"").body(out.toString());
    }

    @GetMapping("/verify")
    @Operation(summary = "Verify the tenant's hash chain: valid, rows checked, the first broken row, the head hash")
    Verification verify(@AuthenticationPrincipal Jwt jwt) {
        return trail.verify(Callers.tenant(jwt));
    }

    /**
     * RFC 4180 quoting, and a cell that starts with {@code = + - @}, tab, CR or NUL (OWASP, ASVS 1.2.10) — also after
     * leading blanks or line breaks, which a spreadsheet's "trim spaces" import removes — neutralised with an
     * apostrophe so that a spreadsheet never evaluates a cell an attacker wrote (a username, a detail).
     */
    static String cell(@Nullable String value) {
        if (value == null) {
            return "";
        }
        String v = value;
        int first = 0;
        while (first < v.length() && (v.charAt(first) == ' ' || v.charAt(first) == '\n')) {
            first++;
        }
        if (first < v.length() && "=+-@\t\r\0".indexOf(v.charAt(first)) >= 0) {
            v = "'" + v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }

    private static @Nullable String blank(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static @Nullable Instant instant(String name, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED, name + ": an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }

}
