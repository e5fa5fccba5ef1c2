package com.clinicwave.sandbox.fhir;

import com.clinicwave.platform.web.ApiException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The supported search parameters of {@code ExplanationOfBenefit}: {@code _lastUpdated} with the prefixes
 * {@code ge gt le lt eq} (repeatable, e.g. a range), and {@code _count} (default 100, at most 1000).
 *
 * @param from inclusive lower bound of {@code lastUpdated}
 * @param to exclusive upper bound of {@code lastUpdated}
 */
public record FhirSearch(@Nullable Instant from, @Nullable Instant to, int count) {

    public static final int DEFAULT_COUNT = 100;
    public static final int MAX_COUNT = 1000;
    public static final List<String> PARAMETERS = List.of("patient", "_lastUpdated", "_count");

    public static FhirSearch parse(@Nullable List<String> lastUpdated, @Nullable String count) {
        Instant from = null;
        Instant to = null;
        if (lastUpdated != null) {
            for (String raw : lastUpdated) {
                String value = restorePlus("_lastUpdated", raw);
                String prefix = value.length() > 2 && Character.isLetter(value.charAt(0)) ? value.substring(0, 2) : "eq";
                String date = Character.isLetter(value.charAt(0)) ? value.substring(2) : value;
                Bound bound = bound(date);
                switch (prefix) {
                    case "ge" -> from = max(from, bound.start());
                    case "gt" -> from = max(from, bound.end());
                    case "lt" -> to = min(to, bound.start());
                    case "le" -> to = min(to, bound.end());
                    case "eq" -> {
                        from = max(from, bound.start());
                        to = min(to, bound.end());
                    }
                    default -> throw invalid("_lastUpdated prefix must be ge, gt, le, lt or eq");
                }
            }
        }
        int size = DEFAULT_COUNT;
        if (count != null) {
            try {
                size = Integer.parseInt(count.trim());
            } catch (NumberFormatException e) {
                throw invalid("_count must be a number");
            }
            if (size < 1) {
                throw invalid("_count must be at least 1");
            }
            size = Math.min(size, MAX_COUNT);
        }
        return new FhirSearch(from, to, size);
    }

    /** A '+' of a time-zone offset sent unencoded arrives as a space: put it back. */
    public static String restorePlus(String name, String value) {
        return name.equals("_lastUpdated") ? value.trim().replace(' ', '+') : value;
    }

    /** The instants a FHIR date or dateTime covers: a whole day for a date, one millisecond for a time. */
    private static Bound bound(String value) {
        if (value.isEmpty()) {
            throw invalid("_lastUpdated needs a date");
        }
        try {
            if (value.length() == 10) {
                Instant start = LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
                return new Bound(start, start.plus(1, ChronoUnit.DAYS));
            }
            Instant instant;
            try {
                instant = OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                instant = LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            }
            instant = instant.truncatedTo(ChronoUnit.MILLIS);
            return new Bound(instant, instant.plusMillis(1));
        } catch (DateTimeParseException e) {
            throw invalid("_lastUpdated must be a FHIR date or dateTime, e.g. ge2024-01-01T00:00:00Z");
        }
    }

    private static Instant max(@Nullable Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    private static Instant min(@Nullable Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest("INVALID_SEARCH_PARAMETER", detail);
    }

    private record Bound(Instant start, Instant end) {
    }
}
