package com.clinicwave.sandbox.fault.web;

import com.clinicwave.sandbox.fault.FaultSpec;
import com.clinicwave.sandbox.fault.Faults;
import com.clinicwave.sandbox.provider.Providers;
import jakarta.validation.Valid;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Fault injection: {@code PUT /sandbox/admin/faults/{provider}/{api}}, list, clear and reset. */
@RestController
@RequestMapping("/sandbox/admin/faults")
class FaultAdminController {

    private final Faults faults;
    private final Providers providers;

    FaultAdminController(Faults faults, Providers providers) {
        this.faults = faults;
        this.providers = providers;
    }

    @GetMapping
    Map<String, Object> list() {
        return faults.describe();
    }

    @PutMapping("/{provider}/{api}")
    Map<String, Object> set(@PathVariable String provider, @PathVariable String api,
            @Valid @RequestBody FaultSpec spec) {
        providers.require(provider);
        faults.set(provider, api, spec);
        return faults.describe();
    }

    @DeleteMapping("/{provider}/{api}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void clear(@PathVariable String provider, @PathVariable String api) {
        faults.clear(provider, api);
    }

    @DeleteMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void reset() {
        faults.reset();
    }

    @PostMapping("/reset")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void resetByPost() {
        faults.reset();
    }
}
