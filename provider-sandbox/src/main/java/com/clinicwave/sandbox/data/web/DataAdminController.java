package com.clinicwave.sandbox.data.web;

import com.clinicwave.platform.web.ApiException;
import com.clinicwave.sandbox.data.Claim;
import com.clinicwave.sandbox.data.ClaimStatus;
import com.clinicwave.sandbox.data.SandboxData;
import com.clinicwave.sandbox.fault.Faults;
import com.clinicwave.sandbox.provider.Provider;
import com.clinicwave.sandbox.provider.Providers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Data administration for tests and demos: what a patient has, "touching" claims, and a global reset. */
@RestController
@RequestMapping("/sandbox/admin")
class DataAdminController {

    private final SandboxData data;
    private final Providers providers;
    private final Faults faults;

    DataAdminController(SandboxData data, Providers providers, Faults faults) {
        this.data = data;
        this.providers = providers;
        this.faults = faults;
    }

    @GetMapping("/data/patients")
    List<Map<String, Object>> patients() {
        return data.patientIds().stream().map(id -> data.patient(id).orElseThrow()).map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("name", p.givenName() + " " + p.familyName());
            return m;
        }).toList();
    }

    @GetMapping("/data/{provider}/patients/{patientId}")
    Map<String, Object> summary(@PathVariable String provider, @PathVariable String patientId) {
        Provider p = dataProvider(provider);
        requirePatient(patientId);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provider", p.key());
        m.put("patient_id", patientId);
        m.put("claim_count", data.claimCount(p.key(), patientId));
        m.put("touched_claims", data.touchedCount(p.key(), patientId));
        m.put("balance", data.balance(p.key(), patientId).toPlainString());
        return m;
    }

    /** Gives claims a new {@code lastUpdated} (now) and status, so that incremental sync has something to find. */
    @PostMapping("/data/{provider}/patients/{patientId}/touch")
    Map<String, Object> touch(@PathVariable String provider, @PathVariable String patientId,
            @Valid @RequestBody TouchRequest request) {
        Provider p = dataProvider(provider);
        requirePatient(patientId);
        ClaimStatus status = null;
        if (request.status() != null) {
            try {
                status = ClaimStatus.fromCode(request.status());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("VALIDATION_FAILED",
                        "status must be submitted, pending, paid, adjusted or denied");
            }
        }
        int count = request.count() == null ? 1 : request.count();
        List<Map<String, Object>> touched = data.touch(p.key(), patientId, count, request.claimIds(), status)
                .stream().map(DataAdminController::brief).toList();
        return Map.of("touched", touched);
    }

    @PostMapping("/data/reset")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void resetData() {
        data.resetTouches();
    }

    /** Faults and touched claims back to the start: the sandbox as freshly started (tokens stay valid). */
    @PostMapping("/reset")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void resetAll() {
        data.resetTouches();
        faults.reset();
    }

    private Provider dataProvider(String key) {
        Provider provider = providers.require(key);
        if (Providers.IDP.equals(provider.key())) {
            throw ApiException.notFound("Provider");
        }
        return provider;
    }

    private void requirePatient(String patientId) {
        if (!data.isPatient(patientId)) {
            throw ApiException.notFound("Patient");
        }
    }

    private static Map<String, Object> brief(Claim c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("status", c.status().code());
        m.put("last_updated", c.lastUpdated().toString());
        return m;
    }

    record TouchRequest(@Nullable @Positive @Max(1000) Integer count,
            @Nullable @Size(max = 1000) List<String> claimIds, @Nullable String status) {
    }
}
