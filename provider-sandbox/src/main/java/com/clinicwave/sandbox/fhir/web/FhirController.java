package com.clinicwave.sandbox.fhir.web;

import com.clinicwave.platform.web.ApiException;
import com.clinicwave.sandbox.data.Claim;
import com.clinicwave.sandbox.data.SandboxData;
import com.clinicwave.sandbox.fhir.FhirResources;
import com.clinicwave.sandbox.fhir.SearchPages;
import com.clinicwave.sandbox.oauth.AccessGrant;
import com.clinicwave.sandbox.oauth.TokenService;
import com.clinicwave.sandbox.provider.Provider;
import com.clinicwave.sandbox.provider.Providers;
import jakarta.servlet.http.HttpServletRequest;
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

/**
 * The FHIR R4 servers: Patient read and ExplanationOfBenefit search, bound to the token's patient. Search pages come
 * pre-rendered from {@link SearchPages}.
 */
@RestController
class FhirController {

    static final MediaType FHIR_JSON = MediaType.parseMediaType("application/fhir+json;charset=UTF-8");

    private final Providers providers;
    private final TokenService tokens;
    private final SandboxData data;
    private final FhirResources resources;
    private final SearchPages pages;

    FhirController(Providers providers, TokenService tokens, SandboxData data,
            FhirResources resources, SearchPages pages) {
        this.providers = providers;
        this.tokens = tokens;
        this.data = data;
        this.resources = resources;
        this.pages = pages;
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
    ResponseEntity<byte[]> searchExplanationOfBenefit(@PathVariable String provider,
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
        SearchPages.Page page = pages.page(fhir, patient, params);
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok().contentType(FHIR_JSON).header(HttpHeaders.VARY,
                HttpHeaders.ACCEPT_ENCODING);
        // Served like a static file: the pre-rendered gzip as is, or unpacked for a client that does not take it.
        if (acceptsGzip(request.getHeader(HttpHeaders.ACCEPT_ENCODING))) {
            return ok.header(HttpHeaders.CONTENT_ENCODING, "gzip").body(page.gzip());
        }
        return ok.body(page.json());
    }

    private static boolean acceptsGzip(@Nullable String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.trim().split(";");
            boolean refused = parts.length > 1 && parts[1].trim().matches("q=0(\\.0*)?");
            if (parts[0].trim().equalsIgnoreCase("gzip") && !refused) {
                return true;
            }
        }
        return false;
    }

    private static void requireOwnPatient(AccessGrant grant, String patientId) {
        if (!grant.subject().equals(patientId)) {
            throw ApiException.forbidden("The access token is bound to another patient");
        }
    }

    private static ResponseEntity<String> fhir(String body) {
        return ResponseEntity.ok().contentType(FHIR_JSON).body(body);
    }
}
