package com.clinicwave.claims.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * {@link EobJson} (Jackson streaming) against the HAPI-based mapping it replaced ({@link HapiClaimMapping}, the old
 * code verbatim): the same Bundles through both give the same claims, or both refuse the page. Inputs: the
 * sandbox's shape, hand-picked odd resources, and a few thousand generated from pools of normal, odd and invalid
 * values for every element the mapping reads (a fixed seed, so a failure reproduces).
 */
class EobJsonEquivalenceTests {

    private static final String SANDBOX_EOB = """
            {"resourceType":"ExplanationOfBenefit","id":"epic-patient-large-000017",
             "meta":{"lastUpdated":"2024-05-01T10:15:30.123Z"},
             "extension":[
               {"url":"https://sandbox.clinicwave.dev/fhir/StructureDefinition/claim-status","valueCode":"paid"},
               {"url":"https://sandbox.clinicwave.dev/fhir/StructureDefinition/claim-kind","valueCode":"dental"}],
             "identifier":[{"system":"https://epic.sandbox/claim-id","value":"epic-patient-large-000017"}],
             "status":"active",
             "type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/claim-type","code":"oral","display":"Oral"}]},
             "use":"claim","patient":{"reference":"Patient/patient-large"},
             "billablePeriod":{"start":"2024-04-20","end":"2024-04-20"},"created":"2024-04-21",
             "insurer":{"display":"Sandbox Health Plan"},"provider":{"display":"Bright Smiles Dental"},
             "outcome":"complete","disposition":"Claim settled",
             "item":[{"sequence":1,"productOrService":{"text":"Dental cleaning"},"servicedDate":"2024-04-20",
                      "net":{"value":150.10,"currency":"USD"}}],
             "total":[
               {"category":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/adjudication","code":"submitted","display":"Submitted Amount"}]},
                "amount":{"value":150.10,"currency":"USD"}},
               {"category":{"coding":[{"system":"http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication","code":"memberliability","display":"Member liability"}]},
                "amount":{"value":25.05,"currency":"USD"}}]}
            """;

    private static final String FULL_URL = "http://x/fhir/ExplanationOfBenefit/full-1";

    @Test
    void theSandboxShapeMapsAlikeAndUnknownElementsAreIgnored() {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            entries.add(entry(FULL_URL + i, SANDBOX_EOB.replace("000017", "%06d".formatted(i))));
        }
        entries.add(entry(null, "{\"resourceType\":\"Patient\",\"id\":\"p\",\"name\":[{\"text\":\"x\"}]}"));
        entries.add(entry(null, SANDBOX_EOB.replace("\"use\":\"claim\"",
                "\"use\":\"claim\",\"foo\":{\"bar\":[1,{\"baz\":null}]},\"_status\":{\"extension\":[]}")));
        String bundle = bundle(entries);

        List<ClaimData> claims = EobJson.claims(bundle);

        assertThat(claims).hasSize(51);
        assertSame(bundle);
        assertThat(claims.getFirst().patientName()).isNull();
    }

    @Test
    void oddResourcesMapAlikeOrAreRefusedAlike() {
        String[] odd = {
            "", // no id and a fullUrl: the fullUrl's id part
            ",\"id\":\"a/b\"", ",\"id\":\"ExplanationOfBenefit/x/_history/2\"", ",\"id\":\"  \"", ",\"id\":\" x y \"",
            ",\"id\":5", ",\"id\":\"\"", ",\"id\":null",
            ",\"id\":\"1\",\"meta\":{\"lastUpdated\":\"2024-05-01T10:15:30\"}",
            ",\"id\":\"1\",\"meta\":{\"lastUpdated\":\"2024-05-01\"}",
            ",\"id\":\"1\",\"meta\":{\"lastUpdated\":\"2024-05-01T10:15:30.123456+02:00\"}",
            ",\"id\":\"1\",\"meta\":{\"lastUpdated\":\"yesterday\"}",
            ",\"id\":\"1\",\"meta\":{\"lastUpdated\":\"2024-05-01T10:15Z\"}",
            ",\"id\":\"1\",\"meta\":{\"lastUpdated\":\"2023-02-29T10:15:00Z\"}",
            ",\"id\":\"1\",\"meta\":{\"lastUpdated\":\"2023-02-28T10:15:60Z\"}",
            ",\"id\":\"1\",\"meta\":{\"lastUpdated\":\"2024-05-01T10:15:30.1+05:30\"}",
            ",\"id\":\"1\",\"billablePeriod\":{\"start\":\"2024-13-45\"}",
            ",\"id\":\"1\",\"created\":\"2024-04-20T25:00:00Z\"",
            ",\"id\":\"1\",\"billablePeriod\":{\"start\":\"2024\"},\"created\":\"2024-04-20T10:00:00\"",
            ",\"id\":\"1\",\"billablePeriod\":{\"start\":\" 2024-04-20 \"}",
            ",\"id\":\"1\",\"billablePeriod\":{\"start\":20240420}",
            ",\"id\":\"1\",\"status\":\"bogus\"", ",\"id\":\"1\",\"status\":\"CANCELLED\"",
            ",\"id\":\"1\",\"status\":\"\",\"outcome\":\" \"", ",\"id\":\"1\",\"status\":\" active\"",
            ",\"id\":\"1\",\"status\":\"entered-in-error\",\"outcome\":\"partial\"",
            ",\"id\":\"1\",\"status\":\"draft\",\"outcome\":\"error\"", ",\"id\":\"1\",\"outcome\":\"Complete\"",
            ",\"id\":\"1\",\"provider\":{\"display\":\"  \"},\"patient\":{\"display\":\"\"},"
                    + "\"item\":[{\"productOrService\":{\"text\":\"  \",\"coding\":[{\"display\":\" \"},{\"display\":\"X\"}]}},"
                    + "{\"productOrService\":{\"text\":\" padded \"}}]",
            ",\"id\":\"1\",\"provider\":{\"reference\":\"#org1\"},\"contained\":[{\"resourceType\":\"Organization\","
                    + "\"id\":\"org1\",\"name\":\" Acme \"}]",
            ",\"id\":\"1\",\"provider\":{\"reference\":\"#p1\"},\"contained\":[{\"resourceType\":\"Practitioner\","
                    + "\"id\":\"p1\",\"name\":[{\"prefix\":[\"Dr.\"],\"given\":[\"Ann\",\"\",\"B\"],\"suffix\":[\"MD\"]}]}]",
            ",\"id\":\"1\",\"provider\":{\"reference\":\"#p1\"},\"facility\":{\"display\":\"Clinic\"},"
                    + "\"contained\":[{\"resourceType\":\"Practitioner\",\"id\":\"p1\",\"name\":[{}]}]",
            ",\"id\":\"1\",\"provider\":{\"reference\":\"#p1\"},\"facility\":{\"display\":\"Clinic\"},"
                    + "\"contained\":[{\"resourceType\":\"Practitioner\",\"id\":\"p1\",\"name\":[{\"use\":\"old\"}]}]",
            ",\"id\":\"1\",\"total\":[{\"category\":{\"coding\":[{\"code\":\"Submitted\"}]},"
                    + "\"amount\":{\"value\":\"150.10\",\"currency\":\"usd\"}}],\"item\":[{\"net\":{\"value\":1.5E2}},"
                    + "{\"net\":{\"value\":-0.000}}]",
            ",\"id\":\"1\",\"total\":[{\"category\":{\"coding\":[{\"code\":\"submitted\"}]},\"amount\":{\"value\":\"abc\"}}]",
            ",\"id\":\"1\",\"item\":[{\"net\":{\"value\":true}}]",
            ",\"id\":\"1\",\"extension\":[{\"url\":\"x/claim-kind\",\"valueBoolean\":true},{\"url\":\"x/claim-status\","
                    + "\"valueDecimal\":1.50},{\"url\":\"y/claim-status\",\"valueCoding\":{\"code\":\"z\"}}]",
            ",\"id\":\"1\",\"extension\":[{\"url\":\"x/claim-kind\",\"valueDate\":\"2024-13-01\"}]",
            ",\"id\":\"1\",\"extension\":[{\"url\":\"x/claim-kind\",\"valueCode\":\" Dental \"},{\"url\":\"x/claim-status\","
                    + "\"valueString\":\"  \"},{\"url\":\"y/claim-status\",\"valueInteger\":7}]",
            ",\"id\":\"1\",\"modifierExtension\":[{\"url\":\"x/claim-kind\",\"valueString\":\"K\"}]",
            ",\"id\":\"1\",\"extension\":[{\"valueString\":\"K\"},{\"url\":\"\",\"valueString\":\"K\"}]",
            ",\"id\":\"1\",\"item\":[{\"servicedDate\":\"bad\"}]",
            ",\"id\":\"1\",\"item\":[{\"servicedDate\":\"2024-01-03\",\"servicedPeriod\":{\"start\":\"2024-01-02\"}}]",
            ",\"id\":\"1\",\"item\":[{\"servicedPeriod\":{\"start\":\"2024-01-02\"},\"servicedDate\":\"2024-01-03\"}]",
            ",\"id\":\"1\",\"item\":[{\"servicedDate\":\"2024-01-03T10:00:00Z\"}]",
            ",\"id\":\"1\",\"id\":\"2\",\"provider\":{\"display\":\"A\"},\"provider\":{\"display\":\"B\"}",
            ",\"id\":\"1\",\"status\":null,\"provider\":null,\"item\":[null,{\"net\":{\"value\":null}}]",
            ",\"id\":\"1\",\"type\":{\"coding\":[{\"system\":\"x\"},{\"code\":\"oral\"}]}",
            ",\"id\":\"1\",\"type\":{\"coding\":[{\"code\":\"VISION\"}]}",
            ",\"id\":\"1\",\"total\":[{\"category\":{\"coding\":[{\"code\":\"copay\"},{\"code\":\"submitted\"}]},"
                    + "\"amount\":{\"currency\":\"EUR\"}},{\"category\":{\"coding\":[{\"code\":\"total\"}]},"
                    + "\"amount\":{\"value\":3}}]",
        };
        for (String fields : odd) {
            assertSame(bundle(List.of(entry(FULL_URL, "{\"resourceType\":\"ExplanationOfBenefit\"" + fields + "}"))));
        }
        assertSame(bundle(List.of(entry("urn:uuid:abc-1", "{\"resourceType\":\"ExplanationOfBenefit\"}"))));
        assertSame(bundle(List.of(entry("http://x/ExplanationOfBenefit/q/_history/3",
                "{\"resourceType\":\"ExplanationOfBenefit\",\"id\":\"\"}"))));
        assertSame(bundle(List.of(entry(null, "{\"resourceType\":\"ExplanationOfBenefit\"}"))));
        assertSame(bundle(List.of(entry(null, "{\"id\":\"p\"}"))));
        assertSame("{\"resourceType\":\"Patient\",\"id\":\"p\"}");
        assertSame("{\"type\":\"searchset\"}");
        assertSame("{\"resourceType\":\"Bundle\"}");
        assertSame("[]");
        assertSame("not json");
        assertSame("");
    }

    /** Input HAPI refused where the streaming reader does something else on purpose (EobJson's javadoc). */
    @Test
    void deliberateDifferencesOnInputHapiRefused() {
        String unknownType = bundle(List.of(entry(null, "{\"resourceType\":\"Foo\",\"id\":\"p\"}"),
                entry(null, "{\"resourceType\":\"ExplanationOfBenefit\",\"id\":\"e\"}")));
        assertThat(outcome(() -> HapiClaimMapping.claims(unknownType))).startsWith("refused");
        assertThat(EobJson.claims(unknownType)).extracting(ClaimData::providerClaimId).containsExactly("e");

        String invalidButUnread = bundle(List.of(entry(null,
                "{\"resourceType\":\"ExplanationOfBenefit\",\"id\":\"e\",\"use\":\"bogus\","
                        + "\"billablePeriod\":{\"end\":\"2024-02-30\"}}")));
        assertThat(outcome(() -> HapiClaimMapping.claims(invalidButUnread))).startsWith("refused");
        assertThat(EobJson.claims(invalidButUnread)).hasSize(1);

        String resourceNotAnObject = bundle(List.of("{\"resource\":\"x\"}"));
        assertThatThrownBy(() -> HapiClaimMapping.claims(resourceNotAnObject))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> EobJson.claims(resourceNotAnObject)).isInstanceOf(EobJson.NotABundle.class);
    }

    @Test
    void generatedResourcesMapAlikeOrAreRefusedAlike() {
        Random random = new Random(20261205);
        int mapped = 0;
        int refused = 0;
        for (int i = 0; i < 4000; i++) {
            String bundle = bundle(List.of(entry(pick(random, FULL_URLS), generated(random, i))));
            if (assertSame(bundle).startsWith("refused")) {
                refused++;
            } else {
                mapped++;
            }
        }
        // Both kinds in numbers, or the pools have drifted into testing only one side.
        assertThat(mapped).isGreaterThan(800);
        assertThat(refused).isGreaterThan(800);
    }

    @Test
    void patientNamesAlike() {
        String[] patients = {
            "{\"resourceType\":\"Patient\",\"id\":\"p\",\"name\":[{\"family\":\"Roe\",\"given\":[\"Jane\",\"Q\"]}]}",
            "{\"resourceType\":\"Patient\",\"name\":[{\"use\":\"official\",\"text\":\"Official\"},"
                    + "{\"use\":\"usual\",\"given\":[\"Jo\"]}]}",
            "{\"resourceType\":\"Patient\",\"name\":[{\"use\":\"old\",\"text\":\"Old\"},{\"use\":\"official\","
                    + "\"text\":\" Off \"}]}",
            "{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"  \",\"family\":\"Roe\"}]}",
            "{\"resourceType\":\"Patient\",\"name\":[{\"use\":\"bogus\",\"text\":\"X\"}]}",
            "{\"resourceType\":\"Patient\",\"name\":[{}]}",
            "{\"resourceType\":\"Patient\",\"name\":[]}",
            "{\"resourceType\":\"Patient\"}",
            "{\"resourceType\":\"Patient\",\"name\":[{\"given\":[\"\",\"Ann\"]}]}",
            "{\"resourceType\":\"Bundle\"}",
            "not json",
        };
        for (String patient : patients) {
            assertThat(EobJson.patientName(patient)).as(patient).isEqualTo(HapiClaimMapping.patientName(patient));
        }
        assertThat(EobJson.patientName(patients[0])).isEqualTo("Jane Q Roe");
    }

    private static final String[] FULL_URLS = {null, FULL_URL, "urn:uuid:abc", ""};
    private static final String[] IDS = {null, "\"c-1\"", "\"c-2\"", "\"\"", "\" \"", "\"a/b\"", "5", "\" x \""};
    private static final String[] INSTANTS = {null, "2024-05-01T10:15:30.123Z", "2024-05-01T10:15:30Z",
        "2024-05-01T10:15:30.123456+02:00", "2024-05-01T10:15:30-05:00", "2024-05-01T10:15:60Z", "2024-05-01",
        "2024-05-01T10:15:30", "2024-05-01T10:15Z", "yesterday", "2023-02-29T10:00:00Z", "2024-05-01T24:00:00Z",
        " 2024-05-01T10:15:30Z", "2024-05-01T10:15:30.1+05:30", "2024", "2024-05-01T10:15:30.12Z",
        "2024-05-01T10:15:30+14:00", "2024-05-01T10:15:30.Z"};
    private static final String[] DATES = {null, "2024-04-20", "2024-04-20", "2024-04-20T10:00:00Z",
        "2024-04-20T10:00:00", "2024", "2024-04", "2024-02-30", "20240420", "2024-04-20junk", " 2024-04-20", "",
        "2024-4-20", "2024-02-29", "2023-12-31T23:59:59.999-12:00"};
    private static final String[] STATUSES = {null, "active", "cancelled", "draft", "entered-in-error", "", "bogus",
        "CANCELLED", " "};
    private static final String[] OUTCOMES = {null, "complete", "partial", "error", "queued", "", "bogus"};
    private static final String[] EXTENSIONS = {
        "{\"url\":\"https://s/claim-kind\",\"valueCode\":\"dental\"}",
        "{\"url\":\"https://s/claim-kind\",\"valueCode\":\" Vision \"}",
        "{\"url\":\"https://s/claim-kind\",\"valueCode\":\"\"}",
        "{\"url\":\"https://s/claim-status\",\"valueCode\":\"paid\"}",
        "{\"url\":\"https://s/claim-status\",\"valueString\":\"Denied\"}",
        "{\"url\":\"https://s/claim-status\",\"valueBoolean\":true}",
        "{\"url\":\"https://s/claim-kind\",\"valueDecimal\":1.50}",
        "{\"url\":\"https://s/claim-status\",\"valueInteger\":7}",
        "{\"url\":\"https://s/claim-status\",\"valueDate\":\"2024-13-01\"}",
        "{\"url\":\"https://s/claim-kind\",\"valueDate\":\"2024-01-01\"}",
        "{\"url\":\"https://s/claim-kind\",\"valueCoding\":{\"code\":\"x\"}}",
        "{\"url\":\"claim-kind\",\"valueCode\":\"nope\"}",
        "{\"valueCode\":\"nourl\"}",
    };
    private static final String[] TYPES = {null, "{\"coding\":[{\"code\":\"oral\"}]}",
        "{\"coding\":[{\"code\":\"ORAL\"}]}", "{\"coding\":[{\"system\":\"x\"},{\"code\":\"oral\"}]}",
        "{\"coding\":[{\"code\":\"vision\"}]}", "{\"coding\":[{\"code\":\"pharmacy\"}]}", "{\"coding\":[]}",
        "{\"text\":\"x\"}"};
    private static final String[] PATIENTS = {null, "{\"display\":\"Jane Roe\"}", "{\"display\":\"  \"}",
        "{\"display\":\" padded \"}", "{\"reference\":\"Patient/1\"}"};
    private static final String[] PROVIDERS = {null, "{\"display\":\"Dr\"}", "{\"display\":\" \"}",
        "{\"reference\":\"#org1\"}", "{\"reference\":\"#p1\"}", "{\"reference\":\"#nope\"}",
        "{\"reference\":\"Organization/1\",\"display\":\"\"}"};
    private static final String[] CONTAINED = {null,
        "[{\"resourceType\":\"Organization\",\"id\":\"org1\",\"name\":\" Acme \"}]",
        "[{\"resourceType\":\"Practitioner\",\"id\":\"p1\",\"name\":[{\"prefix\":[\"Dr.\"],\"given\":[\"Ann\",\"B\"],"
                + "\"family\":\"Lee\"}]}]",
        "[{\"resourceType\":\"Practitioner\",\"id\":\"p1\",\"name\":[{}]}]",
        "[{\"resourceType\":\"Practitioner\",\"id\":\"p1\",\"name\":[{\"text\":\"Doc T\"}]}]",
        "[{\"resourceType\":\"Organization\",\"id\":\"org1\"}]",
        "[{\"resourceType\":\"Organization\",\"id\":\"org1\",\"name\":\"O\"},{\"resourceType\":\"Practitioner\","
                + "\"id\":\"p1\",\"name\":[{\"family\":\"F\"}]}]"};
    private static final String[] FACILITIES = {null, "{\"display\":\"Clinic\"}", "{\"display\":\"\"}"};
    private static final String[] SERVICES = {null, "{\"text\":\"Cleaning\"}", "{\"text\":\"  \"}",
        "{\"coding\":[{\"display\":\"MRI\"}]}", "{\"coding\":[{\"code\":\"x\"},{\"display\":\"CT\"}]}",
        "{\"text\":\" Cleaning \",\"coding\":[{\"display\":\"MRI\"}]}"};
    private static final String[] MONEY = {null, "{\"value\":100.5,\"currency\":\"USD\"}", "{\"value\":\"20\"}",
        "{\"value\":1.5E2}", "{\"value\":\"abc\"}", "{\"currency\":\"EUR\"}", "{\"value\":-0.000,\"currency\":\"usd\"}",
        "{\"value\":25.05,\"currency\":\"eur\"}", "{\"value\":3,\"currency\":\"EURO\"}",
        "{\"value\":7,\"currency\":\" \"}"};
    private static final String[] CATEGORIES = {"submitted", "Submitted", "memberliability", "copay", "billed",
        "other", ""};

    private static String generated(Random random, int n) {
        StringJoiner fields = new StringJoiner(",", "{", "}");
        fields.add("\"resourceType\":\"ExplanationOfBenefit\"");
        optional(fields, "id", pick(random, IDS));
        String lastUpdated = pick(random, INSTANTS);
        if (lastUpdated != null) {
            fields.add("\"meta\":{\"lastUpdated\":" + quote(lastUpdated) + "}");
        }
        if (random.nextBoolean()) {
            StringJoiner extensions = new StringJoiner(",", "[", "]");
            for (int i = random.nextInt(4); i > 0; i--) {
                extensions.add(pick(random, EXTENSIONS));
            }
            fields.add("\"extension\":" + extensions);
        }
        optional(fields, "status", quoteOrNull(pick(random, STATUSES)));
        optional(fields, "outcome", quoteOrNull(pick(random, OUTCOMES)));
        optional(fields, "type", pick(random, TYPES));
        optional(fields, "patient", pick(random, PATIENTS));
        String start = pick(random, DATES);
        if (start != null) {
            fields.add("\"billablePeriod\":{\"start\":" + quote(start) + ",\"end\":\"2024-04-20\"}");
        }
        optional(fields, "created", quoteOrNull(random.nextInt(3) == 0 ? pick(random, DATES) : null));
        optional(fields, "provider", pick(random, PROVIDERS));
        optional(fields, "contained", pick(random, CONTAINED));
        optional(fields, "facility", pick(random, FACILITIES));
        if (random.nextInt(4) > 0) {
            StringJoiner items = new StringJoiner(",", "[", "]");
            for (int i = random.nextInt(4); i > 0; i--) {
                StringJoiner item = new StringJoiner(",", "{", "}");
                item.add("\"sequence\":" + i);
                switch (random.nextInt(3)) {
                    case 0 -> optional(item, "servicedDate", quoteOrNull(pick(random, DATES)));
                    case 1 -> optional(item, "servicedPeriod", start(pick(random, DATES)));
                    default -> {
                    }
                }
                optional(item, "productOrService", pick(random, SERVICES));
                optional(item, "net", pick(random, MONEY));
                items.add(item.toString());
            }
            fields.add("\"item\":" + items);
        }
        if (random.nextInt(4) > 0) {
            StringJoiner totals = new StringJoiner(",", "[", "]");
            for (int i = random.nextInt(4); i > 0; i--) {
                totals.add("{\"category\":{\"coding\":[{\"system\":\"s\",\"code\":" + quote(pick(random, CATEGORIES))
                        + "}]},\"amount\":" + (random.nextInt(8) == 0 ? "{}" : pick(random, MONEY) == null
                        ? "{\"value\":" + n + "}" : pick(random, MONEY)) + "}");
            }
            fields.add("\"total\":" + totals);
        }
        if (random.nextInt(5) == 0) {
            fields.add("\"unknownElement\":{\"nested\":[1,\"two\",{\"three\":null}]}");
        }
        return fields.toString();
    }

    private static String start(String date) {
        return date == null ? "{}" : "{\"start\":" + quote(date) + "}";
    }

    private static void optional(StringJoiner fields, String name, String json) {
        if (json != null) {
            fields.add(quote(name) + ":" + json);
        }
    }

    private static String quoteOrNull(String value) {
        return value == null ? null : quote(value);
    }

    private static String quote(String value) {
        return "\"" + value + "\"";
    }

    private static <T> T pick(Random random, T[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String entry(String fullUrl, String resource) {
        return "{" + (fullUrl == null ? "" : "\"fullUrl\":" + quote(fullUrl) + ",") + "\"resource\":" + resource
                + ",\"search\":{\"mode\":\"match\"}}";
    }

    private static String bundle(List<String> entries) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":" + entries.size()
                + ",\"link\":[{\"relation\":\"self\",\"url\":\"http://x/fhir/ExplanationOfBenefit\"}],\"entry\":["
                + String.join(",", entries) + "]}";
    }

    /** Both mappers agree on the body; answers the common outcome. */
    private static String assertSame(String body) {
        String hapi = outcome(() -> HapiClaimMapping.claims(body));
        String json = outcome(() -> EobJson.claims(body));
        assertThat(json).as(body).isEqualTo(hapi);
        return json;
    }

    private static String outcome(java.util.function.Supplier<List<ClaimData>> mapper) {
        try {
            return mapper.get().stream().map(EobJsonEquivalenceTests::comparable).toList().toString();
        } catch (RuntimeException e) {
            return "refused";
        }
    }

    /** Amounts by value: the columns are numeric(14, 2), and 1.5E2 is stored as 150 either way. */
    private static ClaimData comparable(ClaimData claim) {
        return new ClaimData(claim.providerClaimId(), claim.claimType(), claim.serviceDate(), claim.providerName(),
                claim.patientName(), claim.serviceDescription(), plain(claim.totalAmount()),
                plain(claim.patientResponsibility()), claim.currency(), claim.status(), claim.sourceLastUpdated());
    }

    private static BigDecimal plain(BigDecimal value) {
        return value.stripTrailingZeros();
    }
}
