package com.clinicwave.auth.keys.web;

import com.clinicwave.auth.audit.AuditLog;
import com.clinicwave.auth.keys.SigningKeys;
import java.security.Principal;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operations on the token signing keys, for operators (never routed by the gateway): list the published keys and
 * rotate now — after a suspected key compromise, or to test rotation — instead of waiting for the scheduled
 * rotation. The caller is an OAuth client with scope {@code signing-keys:admin} (HTTP Basic, like every
 * {@code /internal} endpoint; locally the {@code platform-ops} client). Rotation publishes the new keys at once and
 * they sign after {@code clinicwave.auth.keys.publish-lead}; the old keys stay published until their tokens expire.
 */
@RestController
@RequestMapping("/internal/signing-keys")
@PreAuthorize("hasAuthority('SCOPE_signing-keys:admin')")
class SigningKeysController {

    record KeysResponse(List<SigningKeys.KeyInfo> keys) {
    }

    record RotatedResponse(String accessTokenKid, List<SigningKeys.KeyInfo> keys) {
    }

    private final SigningKeys signingKeys;
    private final AuditLog audit;

    SigningKeysController(SigningKeys signingKeys, AuditLog audit) {
        this.signingKeys = signingKeys;
        this.audit = audit;
    }

    @GetMapping
    KeysResponse list() {
        return new KeysResponse(signingKeys.describe());
    }

    @PostMapping("/rotate")
    RotatedResponse rotate(Principal caller) {
        String kid = signingKeys.rotate();
        audit.record("signing_keys.rotated", null, null, caller.getName(), null, "new access-token key " + kid);
        return new RotatedResponse(kid, signingKeys.describe());
    }
}
