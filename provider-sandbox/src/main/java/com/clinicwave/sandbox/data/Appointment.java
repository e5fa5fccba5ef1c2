package com.clinicwave.sandbox.data;

import java.time.LocalDate;
import java.time.LocalTime;

/** A generated appointment (athenahealth-like). */
public record Appointment(String id, LocalDate date, LocalTime startTime, int durationMinutes, String type,
        String providerName, String departmentName, String status) {
}
