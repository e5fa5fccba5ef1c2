package com.clinicwave.claims.sources;

import ca.uhn.fhir.parser.DataFormatException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.TimeType;
import org.hl7.fhir.r4.model.UnsignedIntType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * A FHIR R4 {@code searchset} Bundle of {@code ExplanationOfBenefit} read with Jackson's streaming parser straight
 * into {@link ClaimData}: only the elements the mapping uses are kept, everything else is skipped unread, and no HAPI
 * model object is built (HAPI's full parse of a page was the largest CPU cost of a sync, C1-compiled on a fresh
 * suite).
 *
 * <p>The mapping is the one the HAPI-based mapper had, element for element, including HAPI's reading of odd JSON:
 * empty strings count as absent, the first of two {@code serviced[x]} wins, a resource without id takes the id part
 * of its entry's {@code fullUrl}, ids and date/time, instant, decimal and typed extension values are parsed by HAPI's
 * own primitive types (cheap, no {@code FhirContext}), and an invalid value in an element the mapping reads (an
 * unknown {@code status} or {@code outcome} code, an impossible date, a decimal that is not a number) fails the page
 * as HAPI's parser did. {@code EobJsonEquivalenceTests} maps the same Bundles through both and compares. Deliberate
 * differences, all on input HAPI refused: an invalid value in an element the mapping does not read no longer fails
 * the page, an entry of a resource type R4 does not define is skipped like any other non-EOB entry, and an entry
 * whose {@code resource} is not an object fails the page as an invalid answer (HAPI threw a NullPointerException).
 */
final class EobJson {

    private static final Logger log = LoggerFactory.getLogger(EobJson.class);
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final Set<String> PATIENT_SHARE = Set.of("memberliability", "patientpay", "paidbypatient",
            "patientresponsibility", "copay");
    private static final Set<String> SUBMITTED = Set.of("submitted", "billed", "charge", "total");
    private static final Set<String> STATUS = Set.of("active", "cancelled", "draft", "entered-in-error");
    private static final Set<String> OUTCOME = Set.of("queued", "complete", "error", "partial");
    private static final Set<String> NAME_USE = Set.of("usual", "official", "temp", "nickname", "anonymous", "old",
            "maiden");

    private EobJson() {
    }

    /** Thrown for a body HAPI would not have parsed as a Bundle (or a value HAPI would have refused). */
    static final class NotABundle extends RuntimeException {
        NotABundle(String message) {
            super(message, null, false, false);
        }
    }

    /** The claims of one search page, in entry order; resources without an id are skipped. */
    static List<ClaimData> claims(String body) {
        try (JsonParser json = JSON.createParser(ObjectReadContext.empty(), body)) {
            return bundle(json);
        } catch (JacksonException e) {
            throw new NotABundle("not JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * The display name of a {@code Patient} resource: the {@code usual} name, else {@code official}, else the first;
     * its text, or given names and family. Null when the body is no Patient (or HAPI would have refused it).
     */
    static @Nullable String patientName(String body) {
        try (JsonParser json = JSON.createParser(ObjectReadContext.empty(), body)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String type = null;
            List<Name> names = new ArrayList<>();
            while (json.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = json.currentName();
                json.nextToken();
                switch (field) {
                    case "resourceType" -> type = scalar(json);
                    case "name" -> {
                        names.clear();
                        array(json, () -> names.add(name(json)));
                    }
                    default -> json.skipChildren();
                }
            }
            if (!"Patient".equals(type) || names.isEmpty()) {
                return null;
            }
            for (Name name : names) {
                if (name.use != null && !NAME_USE.contains(name.use)) {
                    return null; // HAPI refused the resource: an unknown name use.
                }
            }
            Name chosen = names.stream().filter(n -> "usual".equals(n.use)).findFirst()
                    .or(() -> names.stream().filter(n -> "official".equals(n.use)).findFirst())
                    .orElse(names.getFirst());
            if (chosen.text != null && !chosen.text.isBlank()) {
                return chosen.text.strip();
            }
            String given = String.join(" ", chosen.given);
            String full = (given + " " + (chosen.family == null ? "" : chosen.family)).strip();
            return full.isEmpty() ? null : full;
        } catch (JacksonException | NotABundle e) {
            return null;
        }
    }

    private static List<ClaimData> bundle(JsonParser json) {
        if (json.nextToken() != JsonToken.START_OBJECT) {
            throw new NotABundle("not an object");
        }
        String type = null;
        List<ClaimData> claims = new ArrayList<>();
        while (json.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = json.currentName();
            json.nextToken();
            switch (field) {
                case "resourceType" -> type = scalar(json);
                case "entry" -> {
                    claims.clear();
                    array(json, () -> entry(json, claims));
                }
                default -> json.skipChildren();
            }
        }
        if (!"Bundle".equals(type)) {
            throw new NotABundle("resourceType " + type);
        }
        return claims;
    }

    private static void entry(JsonParser json, List<ClaimData> claims) {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            json.skipChildren();
            return;
        }
        String fullUrl = null;
        Eob eob = null;
        boolean resource = false;
        while (json.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = json.currentName();
            json.nextToken();
            switch (field) {
                case "fullUrl" -> fullUrl = scalar(json);
                case "resource" -> {
                    if (json.currentToken() == JsonToken.VALUE_NULL) {
                        continue;
                    }
                    if (json.currentToken() != JsonToken.START_OBJECT) {
                        throw new NotABundle("an entry's resource is not an object");
                    }
                    resource = true;
                    eob = resource(json);
                }
                default -> json.skipChildren();
            }
        }
        if (resource && eob != null) {
            ClaimData claim = eob.claim(fullUrl);
            if (claim != null) {
                claims.add(claim);
            }
        }
    }

    /** An entry's resource: an {@link Eob} when it is one, null for any other resource type. */
    private static @Nullable Eob resource(JsonParser json) {
        Eob eob = new Eob();
        String type = null;
        while (json.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = json.currentName();
            json.nextToken();
            switch (field) {
                case "resourceType" -> type = scalar(json);
                case "id" -> eob.id = scalar(json);
                case "meta" -> object(json, name -> {
                    if ("lastUpdated".equals(name)) {
                        eob.lastUpdated = scalar(json);
                    } else {
                        json.skipChildren();
                    }
                });
                case "extension" -> {
                    eob.extensions.clear();
                    array(json, () -> eob.extensions.add(extension(json)));
                }
                case "status" -> eob.status = code(json, STATUS, "status");
                case "outcome" -> eob.outcome = code(json, OUTCOME, "outcome");
                case "type" -> eob.typeCode = firstCodingCode(json);
                case "patient" -> eob.patientDisplay = property(json, "display");
                case "billablePeriod" -> eob.billableStart = periodStart(json);
                case "created" -> eob.created = scalar(json);
                case "provider" -> {
                    eob.providerDisplay = null;
                    eob.providerReference = null;
                    object(json, name -> {
                        switch (name) {
                            case "display" -> eob.providerDisplay = scalar(json);
                            case "reference" -> eob.providerReference = scalar(json);
                            default -> json.skipChildren();
                        }
                    });
                }
                case "facility" -> eob.facilityDisplay = property(json, "display");
                case "contained" -> {
                    eob.contained.clear();
                    array(json, () -> eob.contained.add(contained(json)));
                }
                case "item" -> {
                    eob.items.clear();
                    array(json, () -> eob.items.add(item(json)));
                }
                case "total" -> {
                    eob.totals.clear();
                    array(json, () -> eob.totals.add(total(json)));
                }
                default -> json.skipChildren();
            }
        }
        if (type == null) {
            throw new NotABundle("an entry's resource has no resourceType");
        }
        if (!"ExplanationOfBenefit".equals(type)) {
            return null;
        }
        eob.validate();
        return eob;
    }

    private static Extension extension(JsonParser json) {
        Extension extension = new Extension();
        if (json.currentToken() != JsonToken.START_OBJECT) {
            json.skipChildren();
            return extension;
        }
        while (json.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = json.currentName();
            json.nextToken();
            if ("url".equals(field)) {
                extension.url = json.currentToken().isScalarValue() ? json.getString() : skip(json);
            } else if (field.startsWith("value") && field.length() > 5 && !extension.hasValue) {
                // value[x]: the first one wins, as in HAPI.
                extension.hasValue = json.currentToken() != JsonToken.VALUE_NULL;
                extension.valueType = field.substring(5);
                extension.value = json.currentToken().isScalarValue() ? json.getString() : skip(json);
            } else {
                json.skipChildren();
            }
        }
        return extension;
    }

    private static Contained contained(JsonParser json) {
        Contained contained = new Contained();
        if (json.currentToken() != JsonToken.START_OBJECT) {
            json.skipChildren();
            return contained;
        }
        while (json.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = json.currentName();
            json.nextToken();
            switch (field) {
                case "resourceType" -> contained.type = scalar(json);
                case "id" -> contained.id = scalar(json);
                case "name" -> {
                    if (json.currentToken() == JsonToken.START_ARRAY) {
                        // Practitioner.name: HumanName[]
                        contained.names.clear();
                        array(json, () -> contained.names.add(name(json)));
                        contained.orgName = null;
                    } else {
                        // Organization.name: string
                        contained.orgName = scalar(json);
                        contained.names.clear();
                    }
                }
                default -> json.skipChildren();
            }
        }
        return contained;
    }

    private static Name name(JsonParser json) {
        Name name = new Name();
        object(json, field -> {
            switch (field) {
                case "use" -> name.use = scalar(json);
                case "text" -> name.text = scalar(json);
                case "family" -> name.family = scalar(json);
                case "given" -> name.given = strings(json);
                case "prefix" -> name.prefix = strings(json);
                case "suffix" -> name.suffix = strings(json);
                default -> json.skipChildren();
            }
        });
        return name;
    }

    private static Item item(JsonParser json) {
        Item item = new Item();
        object(json, field -> {
            switch (field) {
                case "servicedDate" -> {
                    String value = scalar(json);
                    if (!item.serviced && value != null) {
                        item.serviced = true;
                        item.servicedDate = value;
                    }
                }
                case "servicedPeriod" -> {
                    if (!item.serviced && json.currentToken() == JsonToken.START_OBJECT) {
                        item.serviced = true;
                        item.period = true;
                        item.servicedDate = periodStart(json);
                    } else {
                        json.skipChildren();
                    }
                }
                case "productOrService" -> {
                    item.serviceText = null;
                    item.serviceDisplays = new ArrayList<>();
                    object(json, name -> {
                        switch (name) {
                            case "text" -> item.serviceText = scalar(json);
                            case "coding" -> {
                                item.serviceDisplays.clear();
                                array(json, () -> item.serviceDisplays.add(property(json, "display")));
                            }
                            default -> json.skipChildren();
                        }
                    });
                }
                case "net" -> item.net = money(json);
                default -> json.skipChildren();
            }
        });
        return item;
    }

    private static Total total(JsonParser json) {
        Total total = new Total();
        object(json, field -> {
            switch (field) {
                case "category" -> object(json, name -> {
                    if ("coding".equals(name)) {
                        total.codes.clear();
                        array(json, () -> total.codes.add(property(json, "code")));
                    } else {
                        json.skipChildren();
                    }
                });
                case "amount" -> total.amount = money(json);
                default -> json.skipChildren();
            }
        });
        return total;
    }

    private static Money money(JsonParser json) {
        Money money = new Money();
        object(json, field -> {
            switch (field) {
                case "value" -> money.value = decimal(json);
                case "currency" -> money.currency = scalar(json);
                default -> json.skipChildren();
            }
        });
        return money;
    }

    /** A decimal as HAPI reads it: a JSON number in plain notation, a string as written; anything else refused. */
    private static @Nullable BigDecimal decimal(JsonParser json) {
        JsonToken token = json.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return new BigDecimal(json.getDecimalValue().toPlainString());
        }
        if (token == JsonToken.VALUE_STRING) {
            String text = json.getString();
            if (text.isEmpty()) {
                return null;
            }
            try {
                return new BigDecimal(text);
            } catch (NumberFormatException e) {
                throw new NotABundle("an amount is not a decimal");
            }
        }
        if (token.isScalarValue()) {
            throw new NotABundle("an amount is not a decimal");
        }
        json.skipChildren();
        return null;
    }

    private static @Nullable String code(JsonParser json, Set<String> codes, String element) {
        String value = scalar(json);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!codes.contains(value)) {
            throw new NotABundle("unknown " + element + " code");
        }
        return value;
    }

    private static @Nullable String firstCodingCode(JsonParser json) {
        String[] code = new String[1];
        boolean[] first = {true};
        object(json, field -> {
            if ("coding".equals(field)) {
                code[0] = null;
                first[0] = true;
                array(json, () -> {
                    String value = property(json, "code");
                    if (first[0]) {
                        code[0] = value;
                        first[0] = false;
                    }
                });
            } else {
                json.skipChildren();
            }
        });
        return code[0];
    }

    private static @Nullable String periodStart(JsonParser json) {
        return property(json, "start");
    }

    /** One string property of an object (the last of duplicates), skipping the rest; null if absent. */
    private static @Nullable String property(JsonParser json, String wanted) {
        String[] value = new String[1];
        object(json, field -> {
            if (wanted.equals(field)) {
                value[0] = scalar(json);
            } else {
                json.skipChildren();
            }
        });
        return value[0];
    }

    private static List<String> strings(JsonParser json) {
        List<String> values = new ArrayList<>();
        array(json, () -> {
            String value = scalar(json);
            if (value != null) {
                values.add(value);
            }
        });
        return values;
    }

    /** A primitive's value as text (numbers and booleans as written); null for null, "" and non-scalars. */
    private static @Nullable String scalar(JsonParser json) {
        JsonToken token = json.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!token.isScalarValue()) {
            json.skipChildren();
            return null;
        }
        String value = json.getString();
        return value.isEmpty() ? null : value;
    }

    private static @Nullable String skip(JsonParser json) {
        json.skipChildren();
        return null;
    }

    /** Calls {@code field} for every property of the current object, positioned on its value. */
    private static void object(JsonParser json, java.util.function.Consumer<String> field) {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            json.skipChildren();
            return;
        }
        while (json.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = json.currentName();
            json.nextToken();
            field.accept(name);
        }
    }

    /** Calls {@code element} for every element of the current array (a single value counts as one). */
    private static void array(JsonParser json, Runnable element) {
        if (json.currentToken() != JsonToken.START_ARRAY) {
            if (json.currentToken() == JsonToken.VALUE_NULL) {
                return;
            }
            element.run();
            return;
        }
        while (json.nextToken() != JsonToken.END_ARRAY) {
            element.run();
        }
    }

    private static final class Extension {
        @Nullable String url;
        boolean hasValue;
        @Nullable String valueType;
        @Nullable String value;
    }

    private static final class Name {
        @Nullable String use;
        @Nullable String text;
        @Nullable String family;
        List<String> given = List.of();
        List<String> prefix = List.of();
        List<String> suffix = List.of();

        /** HAPI's {@code !isEmpty()}: anything but blanks. */
        boolean present() {
            return use != null || !isBlank(text) || !isBlank(family) || given.stream().anyMatch(g -> !g.isBlank())
                    || prefix.stream().anyMatch(p -> !p.isBlank()) || suffix.stream().anyMatch(s -> !s.isBlank());
        }
    }

    private static final class Contained {
        @Nullable String type;
        @Nullable String id;
        @Nullable String orgName;
        final List<Name> names = new ArrayList<>();
    }

    private static final class Item {
        boolean serviced;
        boolean period;
        @Nullable String servicedDate;
        @Nullable String serviceText;
        List<@Nullable String> serviceDisplays = new ArrayList<>();
        @Nullable Money net;
    }

    private static final class Total {
        final List<@Nullable String> codes = new ArrayList<>();
        @Nullable Money amount;
    }

    private static final class Money {
        @Nullable BigDecimal value;
        @Nullable String currency;

        boolean hasCurrency() {
            return currency != null && !currency.isBlank();
        }
    }

    /** The elements of one ExplanationOfBenefit the mapping reads, and the mapping. */
    private static final class Eob {
        @Nullable String id;
        @Nullable String lastUpdated;
        final List<Extension> extensions = new ArrayList<>();
        @Nullable String status;
        @Nullable String outcome;
        @Nullable String typeCode;
        @Nullable String patientDisplay;
        @Nullable String billableStart;
        @Nullable String created;
        @Nullable String providerDisplay;
        @Nullable String providerReference;
        @Nullable String facilityDisplay;
        final List<Contained> contained = new ArrayList<>();
        final List<Item> items = new ArrayList<>();
        final List<Total> totals = new ArrayList<>();
        @Nullable Instant lastUpdatedInstant;

        /** Refuses what HAPI's parser refused in the elements read; normalises values as HAPI's types do. */
        void validate() {
            lastUpdatedInstant = instant(lastUpdated);
            billableStart = dateTime(billableStart, false);
            created = dateTime(created, false);
            for (Item item : items) {
                item.servicedDate = dateTime(item.servicedDate, !item.period);
            }
            for (Extension extension : extensions) {
                if (relevant(extension)) {
                    extension.value = typed(extension);
                }
            }
        }

        private static boolean relevant(Extension extension) {
            return extension.url != null
                    && (extension.url.endsWith("/claim-kind") || extension.url.endsWith("/claim-status"));
        }

        @Nullable ClaimData claim(@Nullable String fullUrl) {
            String idPart = id == null ? null : new IdType(id).getIdPart();
            if ((idPart == null || idPart.isBlank()) && fullUrl != null) {
                idPart = new IdType(fullUrl).getIdPart();
            }
            if (idPart == null || idPart.isBlank()) {
                log.debug("Skipping an ExplanationOfBenefit without id");
                return null;
            }
            Money total = amount(SUBMITTED);
            if (total == null) {
                total = sumOfItems();
            }
            Money patientShare = amount(PATIENT_SHARE);
            return new ClaimData(truncate(idPart, 200), claimType(), serviceDate(), truncate(providerName(), 500),
                    truncate(blankToNull(patientDisplay), 500), description(), value(total), value(patientShare),
                    currency(total, patientShare), status(), lastUpdatedInstant);
        }

        private @Nullable String extensionCode(String suffix) {
            for (Extension extension : extensions) {
                if (extension.url != null && extension.url.endsWith(suffix) && extension.hasValue
                        && primitive(extension.valueType) && extension.value != null
                        && !extension.value.isBlank()) {
                    return truncate(extension.value.toLowerCase(Locale.ROOT), 50);
                }
            }
            return null;
        }

        private String claimType() {
            String kind = extensionCode("/claim-kind");
            if (kind != null) {
                return kind;
            }
            if (typeCode == null) {
                return "medical";
            }
            return switch (typeCode.toLowerCase(Locale.ROOT)) {
                case "oral" -> "dental";
                case "vision" -> "vision";
                case "pharmacy" -> "pharmacy";
                default -> "medical";
            };
        }

        private @Nullable LocalDate serviceDate() {
            LocalDate date = date(billableStart);
            if (date == null) {
                for (Item item : items) {
                    if (item.serviced) {
                        date = date(item.servicedDate);
                    }
                    if (date != null) {
                        break;
                    }
                }
            }
            return date != null ? date : date(created);
        }

        private @Nullable String providerName() {
            String display = blankToNull(providerDisplay);
            if (display != null) {
                return display;
            }
            if (providerReference != null && providerReference.startsWith("#")) {
                for (Contained resource : contained) {
                    String containedId = resource.id == null ? null : new IdType(resource.id).getIdPart();
                    if (providerReference.substring(1).equals(containedId)) {
                        if ("Organization".equals(resource.type)) {
                            return blankToNull(resource.orgName);
                        }
                        if ("Practitioner".equals(resource.type) && resource.names.stream().anyMatch(Name::present)) {
                            return blankToNull(singleString(resource.names.getFirst()));
                        }
                    }
                }
            }
            return blankToNull(facilityDisplay);
        }

        private @Nullable String description() {
            List<String> parts = new ArrayList<>();
            for (Item item : items) {
                String part = item.serviceText != null && !item.serviceText.isBlank() ? item.serviceText
                        : item.serviceDisplays.stream().filter(Objects::nonNull).findFirst().orElse(null);
                if (part != null && !parts.contains(part)) {
                    parts.add(part);
                }
            }
            String joined = String.join("; ", parts);
            return joined.isBlank() ? null : truncate(joined, 2000);
        }

        private String status() {
            String code = extensionCode("/claim-status");
            if (code != null) {
                return code;
            }
            if (status != null) {
                switch (status) {
                    case "cancelled", "entered-in-error" -> {
                        return "cancelled";
                    }
                    case "draft" -> {
                        return "pending";
                    }
                    default -> {
                    }
                }
            }
            if (outcome == null) {
                return "pending";
            }
            return switch (outcome) {
                case "complete" -> "processed";
                case "partial" -> "partially_processed";
                case "error" -> "denied";
                default -> "pending";
            };
        }

        private @Nullable Money amount(Set<String> categories) {
            for (Total total : totals) {
                for (String code : total.codes) {
                    if (code != null && categories.contains(code.toLowerCase(Locale.ROOT)) && total.amount != null
                            && total.amount.value != null) {
                        return total.amount;
                    }
                }
            }
            return null;
        }

        private @Nullable Money sumOfItems() {
            BigDecimal sum = null;
            String currency = null;
            for (Item item : items) {
                if (item.net != null && item.net.value != null) {
                    sum = sum == null ? item.net.value : sum.add(item.net.value);
                    currency = currency == null ? item.net.currency : currency;
                }
            }
            if (sum == null) {
                return null;
            }
            Money money = new Money();
            money.value = sum;
            money.currency = currency;
            return money;
        }
    }

    /** HAPI's HumanName.getNameAsSingleString: the text, else prefixes, given, family and suffixes. */
    private static String singleString(Name name) {
        if (name.text != null && !name.text.isBlank()) {
            return name.text;
        }
        StringBuilder joined = new StringBuilder();
        List<String> parts = new ArrayList<>(name.prefix);
        parts.addAll(name.given);
        if (name.family != null) {
            parts.add(name.family);
        }
        parts.addAll(name.suffix);
        for (String part : parts) {
            if (part.isBlank()) {
                continue;
            }
            if (!joined.isEmpty()) {
                joined.append(' ');
            }
            joined.append(part);
        }
        return joined.toString();
    }

    private static boolean primitive(@Nullable String valueType) {
        return valueType != null && switch (valueType) {
            case "Base64Binary", "Boolean", "Canonical", "Code", "Date", "DateTime", "Decimal", "Id", "Instant",
                 "Integer", "Markdown", "Oid", "PositiveInt", "String", "Time", "UnsignedInt", "Uri", "Url", "Uuid" ->
                    true;
            default -> false;
        };
    }

    /** An extension's value as HAPI's type of that name would hold it (refusing what it refuses). */
    private static @Nullable String typed(Extension extension) {
        if (extension.value == null || extension.valueType == null) {
            return extension.value;
        }
        PrimitiveType<?> type = switch (extension.valueType) {
            case "Boolean" -> new BooleanType();
            case "Date" -> new DateType();
            case "DateTime" -> new DateTimeType();
            case "Decimal" -> new DecimalType();
            case "Instant" -> new InstantType();
            case "Integer" -> new IntegerType();
            case "PositiveInt" -> new PositiveIntType();
            case "Time" -> new TimeType();
            case "UnsignedInt" -> new UnsignedIntType();
            default -> null;
        };
        if (type == null) {
            return extension.value;
        }
        try {
            type.setValueAsString(extension.value);
            return type.getValueAsString();
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new NotABundle("an invalid extension value");
        }
    }

    /**
     * A date or dateTime as HAPI holds it after parsing (its string, unchanged when valid); a value HAPI refuses
     * fails the page. The usual {@code yyyy-MM-dd} is checked here without building HAPI's calendar.
     */
    private static @Nullable String dateTime(@Nullable String value, boolean dateType) {
        if (value == null || isPlainDate(value)) {
            return value;
        }
        BaseDateTimeType type = dateType ? new DateType() : new DateTimeType();
        try {
            type.setValueAsString(value);
            return type.getValueAsString();
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new NotABundle("an invalid date");
        }
    }

    private static @Nullable Instant instant(@Nullable String value) {
        if (value == null) {
            return null;
        }
        Instant fast = plainInstant(value);
        if (fast != null) {
            return fast;
        }
        InstantType type = new InstantType();
        try {
            type.setValueAsString(value);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new NotABundle("an invalid instant");
        }
        return type.getValue() == null ? null : type.getValue().toInstant();
    }

    /** {@code yyyy-MM-dd}, a real day: what HAPI accepts unchanged. */
    private static boolean isPlainDate(String value) {
        if (value.length() != 10 || value.charAt(4) != '-' || value.charAt(7) != '-') {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (i != 4 && i != 7 && (value.charAt(i) < '0' || value.charAt(i) > '9')) {
                return false;
            }
        }
        try {
            LocalDate.parse(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.fff…](Z|±HH:mm)} with seconds below 60, as an instant truncated to milliseconds
     * (HAPI keeps milliseconds); null for any other shape, which HAPI's InstantType then parses.
     */
    private static @Nullable Instant plainInstant(String value) {
        int length = value.length();
        if (length < 20 || !isPlainDate(value.substring(0, 10)) || value.charAt(10) != 'T' || value.charAt(13) != ':'
                || value.charAt(16) != ':' || !digits(value, 11, 13) || !digits(value, 14, 16)
                || !digits(value, 17, 19)) {
            return null;
        }
        int hour = Integer.parseInt(value, 11, 13, 10);
        int minute = Integer.parseInt(value, 14, 16, 10);
        int second = Integer.parseInt(value, 17, 19, 10);
        if (hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int at = 19;
        int millis = 0;
        if (value.charAt(at) == '.') {
            int end = at + 1;
            while (end < length && value.charAt(end) >= '0' && value.charAt(end) <= '9') {
                end++;
            }
            if (end == at + 1) {
                return null;
            }
            String fraction = value.substring(at + 1, Math.min(end, at + 4));
            millis = Integer.parseInt(fraction) * (fraction.length() == 1 ? 100 : fraction.length() == 2 ? 10 : 1);
            at = end;
        }
        int offsetSeconds;
        if (at == length - 1 && value.charAt(at) == 'Z') {
            offsetSeconds = 0;
        } else if (at == length - 6 && (value.charAt(at) == '+' || value.charAt(at) == '-')
                && value.charAt(at + 3) == ':' && digits(value, at + 1, at + 3) && digits(value, at + 4, at + 6)) {
            int offsetHours = Integer.parseInt(value, at + 1, at + 3, 10);
            int offsetMinutes = Integer.parseInt(value, at + 4, at + 6, 10);
            if (offsetHours > 23 || offsetMinutes > 59) {
                return null;
            }
            offsetSeconds = (value.charAt(at) == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
        } else {
            return null;
        }
        LocalDate day = LocalDate.parse(value.substring(0, 10));
        long epochSecond = day.toEpochDay() * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(epochSecond, millis * 1_000_000L);
    }

    private static boolean digits(String value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
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

    private static BigDecimal value(@Nullable Money money) {
        return money == null || money.value == null ? BigDecimal.ZERO : money.value;
    }

    private static String currency(@Nullable Money total, @Nullable Money share) {
        String currency = total != null && total.hasCurrency() ? total.currency
                : share != null && share.hasCurrency() ? share.currency : "USD";
        return currency.length() == 3 ? currency.toUpperCase(Locale.ROOT) : "USD";
    }

    private static boolean isBlank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static @Nullable String truncate(@Nullable String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
