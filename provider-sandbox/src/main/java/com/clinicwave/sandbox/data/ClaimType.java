package com.clinicwave.sandbox.data;

/** The kind of care a claim is for. */
public enum ClaimType {
    MEDICAL, DENTAL, PHARMACY, VISION;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
