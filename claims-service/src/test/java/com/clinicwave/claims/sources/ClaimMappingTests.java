package com.clinicwave.claims.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ClaimMappingTests {

    /** The provider sandbox's shape (docs/provider-sandbox.md): CARIN Blue Button plus status/kind extensions. */
    private static final String SANDBOX_EOB = """
            {"resourceType":"ExplanationOfBenefit","id":"epic-patient-002-000017",
             "meta":{"lastUpdated":"2024-05-01T10:15:30.123Z"},
             "extension":[
               {"url":"https://sandbox.clinicwave.dev/fhir/StructureDefinition/claim-kind","valueCode":"dental"},
               {"url":"https://sandbox.clinicwave.dev/fhir/StructureDefinition/claim-status","valueCode":"paid"}],
             "identifier":[{"value":"epic-patient-002-000017"}],
             "status":"active","outcome":"complete","disposition":"Paid",
             "type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/claim-type","code":"oral"}]},
             "patient":{"reference":"Patient/patient-002","display":"Jane Roe"},
             "billablePeriod":{"start":"2024-04-20","end":"2024-04-20"},
             "provider":{"display":"Bright Smiles Dental"},
             "item":[{"sequence":1,"servicedDate":"2024-04-20","productOrService":{"text":"Dental cleaning"}}],
             "total":[
               {"category":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/adjudication","code":"submitted"}]},
                "amount":{"value":150.10,"currency":"USD"}},
               {"category":{"coding":[{"system":"http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication","code":"memberliability"}]},
                "amount":{"value":25.05,"currency":"USD"}}]}
            """;

    @Test
    void aSandboxExplanationOfBenefitBecomesASeed004Claim() {
        ClaimData claim = map(SANDBOX_EOB);

        assertThat(claim).isNotNull();
        assertThat(claim.providerClaimId()).isEqualTo("epic-patient-002-000017");
        assertThat(claim.claimType()).isEqualTo("dental");
        assertThat(claim.status()).isEqualTo("paid");
        assertThat(claim.serviceDate()).isEqualTo(LocalDate.of(2024, 4, 20));
        assertThat(claim.providerName()).isEqualTo("Bright Smiles Dental");
        assertThat(claim.patientName()).isEqualTo("Jane Roe");
        assertThat(claim.serviceDescription()).isEqualTo("Dental cleaning");
        assertThat(claim.totalAmount()).isEqualByComparingTo("150.10");
        assertThat(claim.patientResponsibility()).isEqualByComparingTo("25.05");
        assertThat(claim.currency()).isEqualTo("USD");
        assertThat(claim.sourceLastUpdated()).isEqualTo(Instant.parse("2024-05-01T10:15:30.123Z"));
    }

    @Test
    void aBareExplanationOfBenefitFallsBackToOutcomeItemsAndCreated() {
        ClaimData claim = map("""
                {"resourceType":"ExplanationOfBenefit","id":"x1","status":"active","outcome":"queued",
                 "created":"2023-12-31T08:00:00Z",
                 "type":{"coding":[{"code":"institutional"}]},
                 "item":[{"sequence":1,"productOrService":{"coding":[{"display":"MRI"}]},"net":{"value":100.5}},
                         {"sequence":2,"productOrService":{"text":"Contrast"},"net":{"value":20}}]}
                """);

        assertThat(claim.claimType()).isEqualTo("medical");
        assertThat(claim.status()).isEqualTo("pending");
        assertThat(claim.serviceDate()).isEqualTo(LocalDate.of(2023, 12, 31));
        assertThat(claim.serviceDescription()).isEqualTo("MRI; Contrast");
        assertThat(claim.totalAmount()).isEqualByComparingTo("120.5");
        assertThat(claim.patientResponsibility()).isZero();
        assertThat(claim.currency()).isEqualTo("USD");
    }

    /** One resource through the streaming mapper (as an entry of a searchset Bundle). */
    private static ClaimData map(String resource) {
        List<ClaimData> claims = EobJson.claims("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[{\"resource\":"
                + resource + "}]}");
        assertThat(claims).hasSize(1);
        return claims.getFirst();
    }

    @Test
    void athenaServiceClaimsAreReadFromTheProtoFieldsAndAthenahealthSpellings() {
        JsonMapper json = JsonMapper.builder().build();
        ClaimData proto = AthenaClaimSource.map(json.readTree("""
                {"claim_id":"9001","service_date":"2024-02-03","provider_name":"Dr. Lee",
                 "service_description":"Office visit","total_charge":"180.00","insurance_paid":"150.00",
                 "patient_responsibility":"30.00","status":"CLOSED","claim_type":"professional",
                 "procedure_codes":["99213"],"currency":"usd","last_updated":"2024-02-10T00:00:00Z"}
                """));
        ClaimData athena = AthenaClaimSource.map(json.readTree("""
                {"claimid":"9002","servicedate":"02/04/2024","totalamount":"$1,234.50","claimtype":"oral"}
                """));

        assertThat(proto.providerClaimId()).isEqualTo("9001");
        assertThat(proto.claimType()).isEqualTo("medical");
        assertThat(proto.totalAmount()).isEqualByComparingTo("180.00");
        assertThat(proto.patientResponsibility()).isEqualByComparingTo("30.00");
        assertThat(proto.status()).isEqualTo("closed");
        assertThat(proto.currency()).isEqualTo("USD");
        assertThat(proto.sourceLastUpdated()).isEqualTo(Instant.parse("2024-02-10T00:00:00Z"));
        assertThat(athena.serviceDate()).isEqualTo(LocalDate.of(2024, 2, 4));
        assertThat(athena.claimType()).isEqualTo("dental");
        assertThat(athena.totalAmount()).isEqualByComparingTo("1234.50");
        assertThat(AthenaClaimSource.map(json.readTree("{\"status\":\"open\"}"))).isNull();
    }
}
