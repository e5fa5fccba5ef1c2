package com.clinicwave.sandbox.fhir;

import com.clinicwave.sandbox.data.Claim;
import com.clinicwave.sandbox.data.ClaimPage;
import com.clinicwave.sandbox.provider.Provider;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The {@code searchset} Bundle of {@code ExplanationOfBenefit} written straight to JSON with a streaming generator:
 * the same resources {@link FhirResources#searchSet} builds with HAPI (CARIN Blue Button shape, same elements and
 * values), without a HAPI model object per claim, so a page of 1000 costs milliseconds instead of a third of a second.
 * {@code SearchSetJsonTests} holds the two equal, resource by resource, through HAPI's parser.
 */
@Component
public class SearchSetJson {

    /** HAPI's instant format: milliseconds and the JVM zone's offset. */
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx")
            .withZone(ZoneId.systemDefault());

    private final JsonFactory json = JsonFactory.builder().build();

    /** Writes the page's Bundle to {@code out}; {@code renderedAt} is the Bundle's {@code meta.lastUpdated}. */
    public void write(OutputStream out, Provider provider, ClaimPage page, String selfUrl, @Nullable String nextUrl,
            Instant renderedAt) {
        try (JsonGenerator g = json.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("resourceType", "Bundle");
            g.writeObjectPropertyStart("meta");
            g.writeStringProperty("lastUpdated", INSTANT.format(renderedAt));
            g.writeEndObject();
            g.writeStringProperty("type", "searchset");
            g.writeNumberProperty("total", (int) Math.min(Integer.MAX_VALUE, page.total()));
            g.writeArrayPropertyStart("link");
            link(g, "self", selfUrl);
            if (nextUrl != null) {
                link(g, "next", nextUrl);
            }
            g.writeEndArray();
            if (!page.claims().isEmpty()) {
                g.writeArrayPropertyStart("entry");
                for (Claim claim : page.claims()) {
                    g.writeStartObject();
                    g.writeStringProperty("fullUrl", provider.fhirBase() + "/ExplanationOfBenefit/" + claim.id());
                    g.writeName("resource");
                    explanationOfBenefit(g, provider, claim);
                    g.writeObjectPropertyStart("search");
                    g.writeStringProperty("mode", "match");
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
    }

    private static void link(JsonGenerator g, String relation, String url) {
        pair(g, "relation", relation, "url", url);
    }

    /** An object of two string properties. */
    private static void pair(JsonGenerator g, String name, String value, String otherName, String otherValue) {
        g.writeStartObject();
        g.writeStringProperty(name, value);
        g.writeStringProperty(otherName, otherValue);
        g.writeEndObject();
    }

    /** As {@link FhirResources#explanationOfBenefit}, element for element. */
    private static void explanationOfBenefit(JsonGenerator g, Provider provider, Claim claim) {
        String date = claim.serviceDate().toString();
        g.writeStartObject();
        g.writeStringProperty("resourceType", "ExplanationOfBenefit");
        g.writeStringProperty("id", claim.id());
        g.writeObjectPropertyStart("meta");
        g.writeStringProperty("lastUpdated", INSTANT.format(claim.lastUpdated()));
        g.writeEndObject();
        g.writeArrayPropertyStart("extension");
        extension(g, FhirResources.CLAIM_STATUS_EXTENSION, claim.status().code());
        extension(g, FhirResources.CLAIM_KIND_EXTENSION, claim.type().code());
        g.writeEndArray();
        g.writeArrayPropertyStart("identifier");
        pair(g, "system", provider.issuer() + "/claim-id", "value", claim.id());
        g.writeEndArray();
        g.writeStringProperty("status", "active");
        String[] type = FhirResources.CLAIM_TYPES.get(claim.type().code());
        g.writeObjectPropertyStart("type");
        coding(g, FhirResources.CLAIM_TYPE_SYSTEM, type[0], type[1]);
        g.writeEndObject();
        g.writeStringProperty("use", "claim");
        g.writeObjectPropertyStart("patient");
        g.writeStringProperty("reference", "Patient/" + claim.patientId());
        g.writeEndObject();
        g.writeObjectPropertyStart("billablePeriod");
        g.writeStringProperty("start", date);
        g.writeStringProperty("end", date);
        g.writeEndObject();
        g.writeStringProperty("created", claim.serviceDate().plusDays(1).toString());
        g.writeObjectPropertyStart("insurer");
        g.writeStringProperty("display", "Sandbox Health Plan");
        g.writeEndObject();
        g.writeObjectPropertyStart("provider");
        g.writeStringProperty("display", claim.providerName());
        g.writeEndObject();
        g.writeStringProperty("outcome", FhirResources.outcome(claim.status()).toCode());
        g.writeStringProperty("disposition", FhirResources.disposition(claim.status()));
        g.writeArrayPropertyStart("item");
        g.writeStartObject();
        g.writeNumberProperty("sequence", 1);
        g.writeObjectPropertyStart("productOrService");
        g.writeStringProperty("text", claim.description());
        g.writeEndObject();
        g.writeStringProperty("servicedDate", date);
        money(g, "net", claim.totalAmount(), claim.currency());
        g.writeEndObject();
        g.writeEndArray();
        g.writeArrayPropertyStart("total");
        total(g, FhirResources.ADJUDICATION_SYSTEM, "submitted", "Submitted Amount", claim.totalAmount(),
                claim.currency());
        total(g, FhirResources.C4BB_ADJUDICATION_SYSTEM, "memberliability", "Member liability",
                claim.patientResponsibility(), claim.currency());
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void extension(JsonGenerator g, String url, String code) {
        pair(g, "url", url, "valueCode", code);
    }

    /** A CodeableConcept's {@code coding} array of one (the caller has opened the concept). */
    private static void coding(JsonGenerator g, String system, String code, String display) {
        g.writeArrayPropertyStart("coding");
        g.writeStartObject();
        g.writeStringProperty("system", system);
        g.writeStringProperty("code", code);
        g.writeStringProperty("display", display);
        g.writeEndObject();
        g.writeEndArray();
    }

    private static void total(JsonGenerator g, String system, String code, String display, BigDecimal amount,
            String currency) {
        g.writeStartObject();
        g.writeObjectPropertyStart("category");
        coding(g, system, code, display);
        g.writeEndObject();
        money(g, "amount", amount, currency);
        g.writeEndObject();
    }

    private static void money(JsonGenerator g, String name, BigDecimal amount, String currency) {
        g.writeObjectPropertyStart(name);
        g.writeNumberProperty("value", amount);
        g.writeStringProperty("currency", currency);
        g.writeEndObject();
    }
}
