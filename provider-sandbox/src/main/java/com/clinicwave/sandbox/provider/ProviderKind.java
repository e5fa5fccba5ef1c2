package com.clinicwave.sandbox.provider;

/** What a provider serves besides OAuth. */
public enum ProviderKind {
    /** A FHIR R4 server (Patient, ExplanationOfBenefit). */
    FHIR,
    /** The athenahealth-like REST API. */
    ATHENA,
    /** An OpenID Connect identity provider for login federation. */
    IDP
}
