package com.clinicwave.sandbox.data;

import java.time.LocalDate;

/** A generated sandbox patient (the same person at every provider and at the identity provider). */
public record SandboxPatient(String id, String givenName, String familyName, String gender, LocalDate birthDate,
        String email, String phone, String addressLine, String city, String state, String postalCode, String mrn) {
}
