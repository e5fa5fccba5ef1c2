package com.clinicwave.sandbox.fhir.web;

import com.clinicwave.platform.web.ApiException;
import com.clinicwave.sandbox.data.Claim;
import com.clinicwave.sandbox.data.ClaimPage;
import com.clinicwave.sandbox.data.SandboxData;
import com.clinicwave.sandbox.fhir.FhirSearch;
import com.clinicwave.sandbox.fhir.FhirResources;
import com.clinicwave.sandbox.oauth.AccessGrant;
import com.clinicwave.sandbox.oauth.TokenService;
import com.clinicwave.sandbox.provider.Provider;
import com.clinicwave.sandbox.provider.Providers;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/** The FHIR R4 servers: Patient read and ExplanationOfBenefit search, bound to the token's patient. */
@RestController
class FhirController {

    static final MediaType FHIR_JSON = MediaType.parseMediaType("application/fhir+json;charset=UTF-8");

    private final Providers providers;
    private final TokenService tokens;
    private final SandboxData data;
    private final FhirResources resources;

    FhirController(Providers providers, TokenService tokens, SandboxData data,
            FhirResources resources) {
        this.providers = providers;
        this.tokens = tokens;
        this.data = data;
        this.resources = resources;
    }

    @GetMapping("/{provider}/fhir/metadata")
    ResponseEntity<String> metadata(@PathVariable String provider) {
        return fhir(resources.json(resources.capabilityStatement(providers.requireFhir(provider))));
    }

    @GetMapping("/{provider}/fhir/Patient/{id}")
    ResponseEntity<String> patient(@PathVariable String provider, @PathVariable String id,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        Provider fhir = providers.requireFhir(provider);
        AccessGrant grant = tokens.requireAccessToken(fhir, authorization);
        requireOwnPatient(grant, id);
        return fhir(resources.json(resources.patient(fhir, data.patient(id)
                .orElseThrow(() -> ApiException.notFound("Patient")))));
    }

    @GetMapping("/{provider}/fhir/ExplanationOfBenefit/{id}")
    ResponseEntity<String> explanationOfBenefit(@PathVariable String provider, @PathVariable String id,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        Provider fhir = providers.requireFhir(provider);
        AccessGrant grant = tokens.requireAccessToken(fhir, authorization);
        Claim claim = data.claim(fhir.key(), id).filter(c -> c.patientId().equals(grant.subject()))
                .orElseThrow(() -> ApiException.notFound("ExplanationOfBenefit"));
        return fhir(resources.json(resources.explanationOfBenefit(fhir, claim)));
    }

    @GetMapping("/{provider}/fhir/ExplanationOfBenefit")
    ResponseEntity<String> searchExplanationOfBenefit(@PathVariable String provider,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @RequestParam MultiValueMap<String, String> params, HttpServletRequest request) {
        Provider fhir = providers.requireFhir(provider);
        AccessGrant grant = tokens.requireAccessToken(fhir, authorization);
        String patient = params.getFirst("patient");
        if (patient == null) {
            patient = grant.subject();
        }
        if (patient.startsWith("Patient/")) {
            patient = patient.substring("Patient/".length());
        }
        requireOwnPatient(grant, patient);
        FhirSearch search = FhirSearch.parse(params.get("_lastUpdated"), params.getFirst("_count"));
        ClaimPage page = data.claims(fhir.key(), patient, search.from(), search.to(), params.getFirst("_cursor"),
                search.count());
        String self = link(fhir, params, null);
        String next = page.nextCursor() == null ? null : link(fhir, params, page.nextCursor());
        return fhir(resources.json(resources.searchSet(fhir, page, self, next)));
    }

    private static void requireOwnPatient(AccessGrant grant, String patientId) {
        if (!grant.subject().equals(patientId)) {
            throw ApiException.forbidden("The access token is bound to another patient");
        }
    }

    /** A search link on the public base URL: the original parameters, with the next page's cursor. */
    private static String link(Provider provider, MultiValueMap<String, String> params, @Nullable String cursor) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(provider.fhirBase() + "/ExplanationOfBenefit");
        List<Object> values = new ArrayList<>();
        params.forEach((name, list) -> {
            if (!name.equals("_cursor") && FhirSearch.PARAMETERS.contains(name)) {
                for (String value : list) {
                    uri.queryParam(name, "{v" + values.size() + "}");
                    values.add(FhirSearch.restorePlus(name, value));
                }
            }
        });
        if (cursor != null) {
            uri.queryParam("_cursor", "{v" + values.size() + "}");
            values.add(cursor);
        }
        // Template variables are strictly encoded: a "+" in an offset stays a plus, not a space.
        return uri.encode().buildAndExpand(values.toArray()).toUriString();
    }

    private static ResponseEntity<String> fhir(String body) {
        return ResponseEntity.ok().contentType(FHIR_JSON).body(body);
    }
}
