package com.clinicwave.connections.oauth;

/** Test access to the flow's hashing helpers. */
public final class OAuthFlowServiceAccess {

    private OAuthFlowServiceAccess() {
    }

    public static String s256(String verifier) {
        return OAuthFlowService.s256(verifier);
    }

    public static String sha256(String state) {
        return OAuthStateStore.sha256(state);
    }
}
