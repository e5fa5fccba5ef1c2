package com.clinicwave.sandbox.fhir;

import ca.uhn.fhir.context.FhirContext;
import com.clinicwave.sandbox.data.Claim;
import com.clinicwave.sandbox.data.ClaimPage;
import com.clinicwave.sandbox.data.ClaimStatus;
import com.clinicwave.sandbox.data.SandboxPatient;
import com.clinicwave.sandbox.provider.Provider;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Builds the FHIR R4 resources (HAPI structures) the simulated servers answer with, following the CARIN Blue Button
 * shape for {@code ExplanationOfBenefit}: type from the claim-type code system, totals {@code submitted} and
 * {@code memberliability}, plus a sandbox extension with the exact claim status and kind of care.
 */
@Component
public class FhirResources {

    public static final String CLAIM_STATUS_EXTENSION =
            "https://sandbox.clinicwave.dev/fhir/StructureDefinition/claim-status";
    public static final String CLAIM_KIND_EXTENSION =
            "https://sandbox.clinicwave.dev/fhir/StructureDefinition/claim-kind";
    static final String CLAIM_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/claim-type";
    static final String ADJUDICATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/adjudication";
    static final String C4BB_ADJUDICATION_SYSTEM =
            "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication";
    private static final Instant PATIENT_UPDATED = Instant.parse("2024-01-01T00:00:00Z");
    static final Map<String, String[]> CLAIM_TYPES = Map.of(
            "medical", new String[] {"professional", "Professional"},
            "dental", new String[] {"oral", "Oral"},
            "pharmacy", new String[] {"pharmacy", "Pharmacy"},
            "vision", new String[] {"vision", "Vision"});

    private final FhirContext context = FhirContext.forR4Cached();

    /**
     * HAPI scans its model classes on first use (seconds on a busy machine): do it in the background at start, so a
     * client's first FHIR call is not the slow one and does not trip its timeout.
     */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        Thread.ofVirtual().name("fhir-warm-up").start(() -> {
            Bundle bundle = new Bundle();
            bundle.addEntry().setResource(new ExplanationOfBenefit().setStatus(
                    ExplanationOfBenefit.ExplanationOfBenefitStatus.ACTIVE));
            bundle.addEntry().setResource(new Patient().setActive(true));
            context.newJsonParser().parseResource(Bundle.class, json(bundle));
        });
    }

    /** FHIR JSON; parsers are cheap and not thread-safe, so one per call. */
    public String json(IBaseResource resource) {
        return context.newJsonParser().encodeResourceToString(resource);
    }

    public Patient patient(Provider provider, SandboxPatient source) {
        Patient patient = new Patient();
        patient.setId(source.id());
        patient.getMeta().setLastUpdated(Date.from(PATIENT_UPDATED));
        patient.addIdentifier().setSystem(provider.issuer() + "/mrn").setValue(source.mrn());
        patient.addName().setFamily(source.familyName()).addGiven(source.givenName())
                .setText(source.givenName() + " " + source.familyName());
        patient.setGender(Enumerations.AdministrativeGender.fromCode(source.gender()));
        patient.setBirthDateElement(new DateType(source.birthDate().toString()));
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(source.phone());
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue(source.email());
        patient.addAddress(new Address().addLine(source.addressLine()).setCity(source.city())
                .setState(source.state()).setPostalCode(source.postalCode()).setCountry("US"));
        patient.setActive(true);
        return patient;
    }

    public ExplanationOfBenefit explanationOfBenefit(Provider provider, Claim claim) {
        ExplanationOfBenefit eob = new ExplanationOfBenefit();
        eob.setId(claim.id());
        eob.getMeta().setLastUpdated(Date.from(claim.lastUpdated()));
        eob.addIdentifier().setSystem(provider.issuer() + "/claim-id").setValue(claim.id());
        eob.addExtension(CLAIM_STATUS_EXTENSION, new CodeType(claim.status().code()));
        eob.addExtension(CLAIM_KIND_EXTENSION, new CodeType(claim.type().code()));
        eob.setStatus(ExplanationOfBenefit.ExplanationOfBenefitStatus.ACTIVE);
        String[] type = CLAIM_TYPES.get(claim.type().code());
        eob.setType(new CodeableConcept().addCoding(new Coding(CLAIM_TYPE_SYSTEM, type[0], type[1])));
        eob.setUse(ExplanationOfBenefit.Use.CLAIM);
        eob.setPatient(new Reference("Patient/" + claim.patientId()));
        eob.setBillablePeriod(new Period().setStartElement(new DateTimeType(claim.serviceDate().toString()))
                .setEndElement(new DateTimeType(claim.serviceDate().toString())));
        eob.setCreatedElement(new DateTimeType(claim.serviceDate().plusDays(1).toString()));
        eob.setInsurer(new Reference().setDisplay("Sandbox Health Plan"));
        eob.setProvider(new Reference().setDisplay(claim.providerName()));
        eob.setOutcome(outcome(claim.status()));
        eob.setDisposition(disposition(claim.status()));
        eob.addItem().setSequence(1).setProductOrService(new CodeableConcept().setText(claim.description()))
                .setServiced(new DateType(claim.serviceDate().toString()))
                .setNet(money(claim.totalAmount(), claim.currency()));
        eob.addTotal().setCategory(new CodeableConcept().addCoding(
                new Coding(ADJUDICATION_SYSTEM, "submitted", "Submitted Amount")))
                .setAmount(money(claim.totalAmount(), claim.currency()));
        eob.addTotal().setCategory(new CodeableConcept().addCoding(
                new Coding(C4BB_ADJUDICATION_SYSTEM, "memberliability", "Member liability")))
                .setAmount(money(claim.patientResponsibility(), claim.currency()));
        return eob;
    }

    public Bundle searchSet(Provider provider, ClaimPage page, String selfUrl, @Nullable String nextUrl) {
        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.SEARCHSET);
        bundle.getMeta().setLastUpdated(new Date());
        bundle.setTotal((int) Math.min(Integer.MAX_VALUE, page.total()));
        bundle.addLink().setRelation("self").setUrl(selfUrl);
        if (nextUrl != null) {
            bundle.addLink().setRelation("next").setUrl(nextUrl);
        }
        for (Claim claim : page.claims()) {
            bundle.addEntry().setFullUrl(provider.fhirBase() + "/ExplanationOfBenefit/" + claim.id())
                    .setResource(explanationOfBenefit(provider, claim))
                    .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        }
        return bundle;
    }

    public CapabilityStatement capabilityStatement(Provider provider) {
        CapabilityStatement cs = new CapabilityStatement();
        cs.setStatus(Enumerations.PublicationStatus.ACTIVE);
        cs.setDateElement(new DateTimeType("2024-01-01"));
        cs.setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE);
        cs.setFhirVersion(Enumerations.FHIRVersion._4_0_1);
        cs.addFormat("json");
        cs.getImplementation().setDescription(provider.displayName() + " (ClinicWave sandbox)")
                .setUrl(provider.fhirBase());
        CapabilityStatement.CapabilityStatementRestComponent rest = cs.addRest();
        rest.setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
        rest.getSecurity().addService().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR", "SMART-on-FHIR"));
        rest.addResource().setType("Patient").addInteraction()
                .setCode(CapabilityStatement.TypeRestfulInteraction.READ);
        CapabilityStatement.CapabilityStatementRestResourceComponent eob = rest.addResource()
                .setType("ExplanationOfBenefit");
        eob.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.READ);
        eob.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.SEARCHTYPE);
        eob.addSearchParam().setName("patient").setType(Enumerations.SearchParamType.REFERENCE);
        eob.addSearchParam().setName("_lastUpdated").setType(Enumerations.SearchParamType.DATE);
        eob.addSearchParam().setName("_count").setType(Enumerations.SearchParamType.NUMBER);
        return cs;
    }

    private static Money money(BigDecimal amount, String currency) {
        return new Money().setValue(amount).setCurrency(currency);
    }

    static ExplanationOfBenefit.RemittanceOutcome outcome(ClaimStatus status) {
        return switch (status) {
            case SUBMITTED, PENDING -> ExplanationOfBenefit.RemittanceOutcome.QUEUED;
            case PAID -> ExplanationOfBenefit.RemittanceOutcome.COMPLETE;
            case ADJUSTED -> ExplanationOfBenefit.RemittanceOutcome.PARTIAL;
            case DENIED -> ExplanationOfBenefit.RemittanceOutcome.ERROR;
        };
    }

    static String disposition(ClaimStatus status) {
        return switch (status) {
            case SUBMITTED -> "Submitted";
            case PENDING -> "Pending";
            case PAID -> "Paid";
            case ADJUSTED -> "Adjusted";
            case DENIED -> "Denied";
        };
    }
}
