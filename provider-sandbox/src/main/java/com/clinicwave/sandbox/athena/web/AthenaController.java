package com.clinicwave.sandbox.athena.web;

import com.clinicwave.platform.web.ApiException;
import com.clinicwave.sandbox.athena.RateLimiter;
import com.clinicwave.sandbox.config.SandboxProperties;
import com.clinicwave.sandbox.data.Appointment;
import com.clinicwave.sandbox.data.Claim;
import com.clinicwave.sandbox.data.ClaimPage;
import com.clinicwave.sandbox.data.SandboxData;
import com.clinicwave.sandbox.data.SandboxPatient;
import com.clinicwave.sandbox.oauth.AccessGrant;
import com.clinicwave.sandbox.oauth.TokenService;
import com.clinicwave.sandbox.provider.Provider;
import com.clinicwave.sandbox.provider.Providers;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The athenahealth-like REST API. Field names follow athenahealth's style (lower case, no separators); dates are
 * ISO-8601 and amounts exact decimal strings. Every call needs the athenahealth bearer token of that patient and
 * counts against the token's per-second quota.
 */
@RestController
@RequestMapping("/athenahealth/api/v1/{practiceId}/patients/{patientId}")
class AthenaController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final Provider athena;
    private final TokenService tokens;
    private final RateLimiter rateLimiter;
    private final SandboxData data;
    private final List<String> practiceIds;

    AthenaController(Providers providers, TokenService tokens, RateLimiter rateLimiter, SandboxData data,
            SandboxProperties properties) {
        this.athena = providers.require(Providers.ATHENAHEALTH);
        this.tokens = tokens;
        this.rateLimiter = rateLimiter;
        this.data = data;
        this.practiceIds = properties.athena().practiceIds();
    }

    @GetMapping
    Map<String, Object> patient(@PathVariable String practiceId, @PathVariable String patientId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        authorize(practiceId, patientId, authorization);
        SandboxPatient p = data.patient(patientId).orElseThrow(() -> ApiException.notFound("Patient"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("patientid", p.id());
        body.put("practiceid", practiceId);
        body.put("firstname", p.givenName());
        body.put("lastname", p.familyName());
        body.put("sex", p.gender().equals("female") ? "F" : "M");
        body.put("dob", p.birthDate().toString());
        body.put("email", p.email());
        body.put("homephone", p.phone());
        body.put("address1", p.addressLine());
        body.put("city", p.city());
        body.put("state", p.state());
        body.put("zip", p.postalCode());
        body.put("mrn", p.mrn());
        return body;
    }

    @GetMapping("/appointments")
    Map<String, Object> appointments(@PathVariable String practiceId, @PathVariable String patientId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        authorize(practiceId, patientId, authorization);
        List<Map<String, Object>> list = data.appointments(athena.key(), patientId).stream()
                .map(AthenaController::appointment).toList();
        return Map.of("appointments", list, "totalcount", list.size());
    }

    @GetMapping("/balance")
    Map<String, Object> balance(@PathVariable String practiceId, @PathVariable String patientId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        authorize(practiceId, patientId, authorization);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("patientid", patientId);
        body.put("balance", data.balance(athena.key(), patientId).toPlainString());
        body.put("currency", "USD");
        return body;
    }

    @GetMapping("/claims")
    Map<String, Object> claims(@PathVariable String practiceId, @PathVariable String patientId,
            @RequestParam(name = "page_token", required = false) @Nullable String pageToken,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(name = "updated_since", required = false) @Nullable String updatedSince,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        authorize(practiceId, patientId, authorization);
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1) {
            throw ApiException.badRequest("VALIDATION_FAILED", "limit must be at least 1");
        }
        Instant since = null;
        if (updatedSince != null && !updatedSince.isBlank()) {
            try {
                since = Instant.parse(updatedSince.trim());
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("VALIDATION_FAILED", "updated_since must be an ISO-8601 instant");
            }
        }
        ClaimPage page = data.claims(athena.key(), patientId, since, null,
                pageToken == null || pageToken.isBlank() ? null : pageToken, Math.min(size, MAX_LIMIT));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("claims", page.claims().stream().map(AthenaController::claim).toList());
        body.put("totalcount", page.total());
        body.put("next_page_token", page.nextCursor());
        return body;
    }

    private void authorize(String practiceId, String patientId, @Nullable String authorization) {
        AccessGrant grant = tokens.requireAccessToken(athena, authorization);
        rateLimiter.acquire(authorization.substring(7).trim());
        if (!practiceIds.contains(practiceId)) {
            throw ApiException.notFound("Practice");
        }
        if (!grant.subject().equals(patientId)) {
            throw ApiException.forbidden("The access token is bound to another patient");
        }
    }

    private static Map<String, Object> claim(Claim c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("claimid", c.id());
        m.put("patientid", c.patientId());
        m.put("servicedate", c.serviceDate().toString());
        m.put("providername", c.providerName());
        m.put("description", c.description());
        m.put("claimtype", c.type().code());
        m.put("status", c.status().code());
        m.put("totalamount", c.totalAmount().toPlainString());
        m.put("patientresponsibility", c.patientResponsibility().toPlainString());
        m.put("currency", c.currency());
        m.put("lastupdated", c.lastUpdated().toString());
        return m;
    }

    private static Map<String, Object> appointment(Appointment a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("appointmentid", a.id());
        m.put("date", a.date().toString());
        m.put("starttime", a.startTime().toString());
        m.put("duration", a.durationMinutes());
        m.put("appointmenttype", a.type());
        m.put("providername", a.providerName());
        m.put("departmentname", a.departmentName());
        m.put("appointmentstatus", a.status());
        return m;
    }
}
