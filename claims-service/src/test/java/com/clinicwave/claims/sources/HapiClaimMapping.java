package com.clinicwave.claims.sources;

import ca.uhn.fhir.context.FhirContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Resource;
import org.jspecify.annotations.Nullable;

/**
 * The reference for {@link EobJson}: the mapping as FhirClaimSource had it until 2026-12-05, on HAPI's full R4
 * parse of the Bundle (kept verbatim; only the parse of a page and of a Patient are wrapped here).
 */
final class HapiClaimMapping {

    private static final Set<String> PATIENT_SHARE = Set.of("memberliability", "patientpay", "paidbypatient",
            "patientresponsibility", "copay");
    private static final Set<String> SUBMITTED = Set.of("submitted", "billed", "charge", "total");
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private HapiClaimMapping() {
    }

    /** A page as the old parse() read it: HAPI's exceptions propagate (the old code turned them into a failure). */
    static List<ClaimData> claims(String body) {
        Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, body);
        List<ClaimData> claims = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() instanceof ExplanationOfBenefit eob) {
                ClaimData claim = map(eob);
                if (claim != null) {
                    claims.add(claim);
                }
            }
        }
        return claims;
    }

    static @Nullable String patientName(String body) {
        try {
            return displayName(FHIR.newJsonParser().parseResource(Patient.class, body));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The name a person goes by: the {@code usual} name, else {@code official}, else the first; text or parts. */
    static @Nullable String displayName(Patient patient) {
        List<HumanName> names = patient.getName();
        if (names.isEmpty()) {
            return null;
        }
        HumanName chosen = names.stream().filter(n -> n.getUse() == HumanName.NameUse.USUAL).findFirst()
                .or(() -> names.stream().filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL).findFirst())
                .orElse(names.getFirst());
        if (chosen.hasText() && !chosen.getText().isBlank()) {
            return chosen.getText().strip();
        }
        String given = chosen.getGiven().stream().map(g -> g.getValue()).filter(Objects::nonNull)
                .collect(Collectors.joining(" "));
        String full = (given + " " + (chosen.getFamily() == null ? "" : chosen.getFamily())).strip();
        return full.isEmpty() ? null : full;
    }

    static @Nullable ClaimData map(ExplanationOfBenefit eob) {
        String id = eob.getIdElement().getIdPart();
        if (id == null || id.isBlank()) {
            
            return null;
        }
        Money total = amount(eob, SUBMITTED);
        if (total == null) {
            total = sumOfItems(eob);
        }
        Money patientShare = amount(eob, PATIENT_SHARE);
        String currency = currency(total, patientShare);
        Instant lastUpdated = eob.getMeta().getLastUpdated() == null ? null
                : eob.getMeta().getLastUpdated().toInstant();
        return new ClaimData(truncate(id, 200), claimType(eob), serviceDate(eob),
                truncate(providerName(eob), 500), truncate(blankToNull(eob.getPatient().getDisplay()), 500),
                description(eob), value(total), value(patientShare), currency, status(eob), lastUpdated);
    }

    private static String claimType(ExplanationOfBenefit eob) {
        for (org.hl7.fhir.r4.model.Extension extension : eob.getExtension()) {
            if (extension.getUrl() != null && extension.getUrl().endsWith("/claim-kind")
                    && extension.getValue() instanceof org.hl7.fhir.r4.model.PrimitiveType<?> code
                    && code.getValueAsString() != null && !code.getValueAsString().isBlank()) {
                return truncate(code.getValueAsString().toLowerCase(Locale.ROOT), 50);
            }
        }
        return claimType(eob.getType());
    }

    private static String claimType(CodeableConcept type) {
        String code = type.getCodingFirstRep().getCode();
        if (code == null) {
            return "medical";
        }
        return switch (code.toLowerCase(Locale.ROOT)) {
            case "oral" -> "dental";
            case "vision" -> "vision";
            case "pharmacy" -> "pharmacy";
            default -> "medical";
        };
    }

    private static @Nullable LocalDate serviceDate(ExplanationOfBenefit eob) {
        LocalDate date = date(eob.getBillablePeriod().getStartElement());
        if (date == null) {
            for (ExplanationOfBenefit.ItemComponent item : eob.getItem()) {
                if (item.hasServicedDateType()) {
                    date = date(item.getServicedDateType().getValueAsString());
                } else if (item.hasServicedPeriod()) {
                    date = date(item.getServicedPeriod().getStartElement());
                }
                if (date != null) {
                    break;
                }
            }
        }
        return date != null ? date : date(eob.getCreatedElement().getValueAsString());
    }

    private static @Nullable LocalDate date(DateTimeType value) {
        return value == null ? null : date(value.getValueAsString());
    }

    private static @Nullable LocalDate date(@Nullable String value) {
        if (value == null || value.length() < 10) {
            return null;
        }
        try {
            return LocalDate.parse(value.substring(0, 10));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static @Nullable String providerName(ExplanationOfBenefit eob) {
        String display = blankToNull(eob.getProvider().getDisplay());
        if (display != null) {
            return display;
        }
        String reference = eob.getProvider().getReference();
        if (reference != null && reference.startsWith("#")) {
            for (Resource contained : eob.getContained()) {
                if (reference.substring(1).equals(contained.getIdElement().getIdPart())) {
                    if (contained instanceof Organization org) {
                        return blankToNull(org.getName());
                    }
                    if (contained instanceof Practitioner practitioner && practitioner.hasName()) {
                        return blankToNull(practitioner.getNameFirstRep().getNameAsSingleString());
                    }
                }
            }
        }
        return blankToNull(eob.getFacility().getDisplay());
    }

    private static @Nullable String description(ExplanationOfBenefit eob) {
        String joined = eob.getItem().stream()
                .map(item -> {
                    CodeableConcept service = item.getProductOrService();
                    if (service.hasText()) {
                        return service.getText();
                    }
                    return service.getCoding().stream().map(Coding::getDisplay).filter(Objects::nonNull).findFirst()
                            .orElse(null);
                })
                .filter(Objects::nonNull)
                .distinct()
                .collect(Collectors.joining("; "));
        return joined.isBlank() ? null : truncate(joined, 2000);
    }

    private static String status(ExplanationOfBenefit eob) {
        // Providers that carry the business status of the claim (submitted, pending, paid, adjusted, denied) in an
        // extension (the sandbox does): take it as is.
        for (org.hl7.fhir.r4.model.Extension extension : eob.getExtension()) {
            if (extension.getUrl() != null && extension.getUrl().endsWith("/claim-status")
                    && extension.getValue() instanceof org.hl7.fhir.r4.model.PrimitiveType<?> code
                    && code.getValueAsString() != null && !code.getValueAsString().isBlank()) {
                return truncate(code.getValueAsString().toLowerCase(Locale.ROOT), 50);
            }
        }
        if (eob.hasStatus()) {
            switch (eob.getStatus()) {
                case CANCELLED, ENTEREDINERROR -> {
                    return "cancelled";
                }
                case DRAFT -> {
                    return "pending";
                }
                default -> {
                }
            }
        }
        if (!eob.hasOutcome()) {
            return "pending";
        }
        return switch (eob.getOutcome()) {
            case COMPLETE -> "processed";
            case PARTIAL -> "partially_processed";
            case ERROR -> "denied";
            default -> "pending";
        };
    }

    private static @Nullable Money amount(ExplanationOfBenefit eob, Set<String> categories) {
        for (ExplanationOfBenefit.TotalComponent total : eob.getTotal()) {
            for (Coding coding : total.getCategory().getCoding()) {
                if (coding.getCode() != null && categories.contains(coding.getCode().toLowerCase(Locale.ROOT))
                        && total.getAmount().hasValue()) {
                    return total.getAmount();
                }
            }
        }
        return null;
    }

    private static @Nullable Money sumOfItems(ExplanationOfBenefit eob) {
        BigDecimal sum = null;
        String currency = null;
        for (ExplanationOfBenefit.ItemComponent item : eob.getItem()) {
            if (item.getNet().hasValue()) {
                sum = sum == null ? item.getNet().getValue() : sum.add(item.getNet().getValue());
                currency = currency == null ? item.getNet().getCurrency() : currency;
            }
        }
        return sum == null ? null : new Money().setValue(sum).setCurrency(currency);
    }

    private static BigDecimal value(@Nullable Money money) {
        return money == null || money.getValue() == null ? BigDecimal.ZERO : money.getValue();
    }

    private static String currency(@Nullable Money total, @Nullable Money share) {
        String currency = total != null && total.hasCurrency() ? total.getCurrency()
                : share != null && share.hasCurrency() ? share.getCurrency() : "USD";
        return currency.length() == 3 ? currency.toUpperCase(Locale.ROOT) : "USD";
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static @Nullable String truncate(@Nullable String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
