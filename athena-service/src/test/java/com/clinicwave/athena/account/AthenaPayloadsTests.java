package com.clinicwave.athena.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.clinicwave.athena.api.v1.Balance;
import com.clinicwave.athena.api.v1.ListAppointmentsResponse;
import com.clinicwave.athena.api.v1.ListClaimsResponse;
import com.clinicwave.athena.api.v1.Patient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Mapping of athenahealth's answers as the sandbox gives them (ISO dates, decimal strings, lower-case names). */
class AthenaPayloadsTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    @Test
    void aSingleObjectPatientWithExtraFieldsIsMapped() {
        Patient patient = AthenaPayloads.patient(json("""
                {"patientid":"patient-001","practiceid":"195900","firstname":"Maria","lastname":"Garcia","sex":"F",
                 "dob":"1980-04-02","email":"m@example.org","homephone":"555","address1":"1 Elm","city":"Austin",
                 "state":"TX","zip":"73301","mrn":"MRN-1"}
                """), "c-1", "195900", "patient-001");

        assertThat(patient.getPatientId()).isEqualTo("patient-001");
        assertThat(patient.getDateOfBirth()).isEqualTo("1980-04-02");
        assertThat(patient.getAddress().getCity()).isEqualTo("Austin");
        assertThat(patient.getMiddleName()).isEmpty();
    }

    @Test
    void appointmentsKeepUnknownStatusesAndCountThemselvesWhenNoTotalIsGiven() {
        ListAppointmentsResponse response = AthenaPayloads.appointments(json("""
                {"appointments":[{"appointmentid":"a1","date":"2026-12-01","starttime":"09:30","duration":30,
                  "appointmenttype":"Annual","providername":"Dr. Who","departmentname":"Main","appointmentstatus":"Booked"}]}
                """), "c-1");

        assertThat(response.getTotalCount()).isEqualTo(1);
        assertThat(response.getAppointments(0).getStatus()).isEqualTo("booked");
        assertThat(response.getAppointments(0).getDepartmentName()).isEqualTo("Main");
    }

    @Test
    void aBalanceWithoutStatementsIsMapped() {
        Balance balance = AthenaPayloads.balance(json("""
                {"patientid":"patient-001","balance":"42.10","currency":"USD"}
                """), "c-1", "patient-001");

        assertThat(balance.getTotalBalance()).isEqualTo("42.10");
        assertThat(balance.getStatementsList()).isEmpty();
    }

    @Test
    void claimsPagesCarryTheNextTokenAndTheTotal() {
        ListClaimsResponse claims = AthenaPayloads.claims(json("""
                {"claims":[{"claimid":"cl-1","patientid":"patient-001","servicedate":"2026-10-01","providername":"Dr",
                  "description":"Visit","claimtype":"professional","status":"PAID","totalamount":"120.00",
                  "patientresponsibility":"20.00","currency":"USD","lastupdated":"2026-10-02T10:00:00Z"}],
                 "totalcount":3,"next_page_token":"cursor-2"}
                """), "c-1");

        assertThat(claims.getClaims(0).getTotalCharge()).isEqualTo("120.00");
        assertThat(claims.getClaims(0).getStatus()).isEqualTo("paid");
        assertThat(claims.getClaims(0).getServiceDescription()).isEqualTo("Visit");
        assertThat(claims.getTotalCount()).isEqualTo(3);
        assertThat(claims.getNextPageToken()).isEqualTo("cursor-2");
    }

    @Test
    void theLastPageHasNoNextToken() {
        assertThat(AthenaPayloads.nextPageToken(json("{\"claims\":[],\"next_page_token\":null}"))).isEmpty();
        assertThat(AthenaPayloads.nextPageToken(json(
                "{\"next\":\"/v1/1/patients/2/claims?page_token=abc&limit=10\"}"))).isEqualTo("abc");
    }

    @Test
    void usDatesAndDollarAmountsAreNormalised() {
        assertThat(AthenaPayloads.date("3/7/2026")).isEqualTo("2026-03-07");
        assertThat(AthenaPayloads.date("2026-03-07T10:00:00Z")).isEqualTo("2026-03-07");
        assertThat(AthenaPayloads.amount("$1,234.50")).isEqualTo("1234.50");
        assertThat(AthenaPayloads.amount("n/a")).isEmpty();
    }
}
