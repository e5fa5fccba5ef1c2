package com.clinicwave.athena.account;

import com.clinicwave.athena.api.v1.Address;
import com.clinicwave.athena.api.v1.Appointment;
import com.clinicwave.athena.api.v1.Balance;
import com.clinicwave.athena.api.v1.Claim;
import com.clinicwave.athena.api.v1.ListAppointmentsResponse;
import com.clinicwave.athena.api.v1.ListClaimsResponse;
import com.clinicwave.athena.api.v1.Patient;
import com.clinicwave.athena.api.v1.Statement;
import java.math.BigDecimal;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * athenahealth answers → proto messages. Tolerant by design: athenahealth's own lower-case names
 * ({@code firstname}, {@code patientid}, {@code appointmentstatus}) and snake_case ones are both read, unknown
 * fields are ignored, missing ones stay empty, US dates become ISO dates and amounts become decimal strings.
 */
final class AthenaPayloads {

    private static final Pattern US_DATE = Pattern.compile("(\\d{1,2})/(\\d{1,2})/(\\d{4})");
    private static final Pattern ISO_DATE = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}).*");
    private static final Map<String, String> APPOINTMENT_STATUSES = Map.of(
            "f", "scheduled", "x", "cancelled", "o", "open", "2", "checked_in", "3", "checked_out",
            "4", "charge_entered");

    private AthenaPayloads() {
    }

    static Patient patient(JsonNode root, String connectionId, String practiceId, String patientId) {
        JsonNode p = first(root, "patients", "patient");
        JsonNode address = p.path("address").isObject() ? p.path("address") : p;
        return Patient.newBuilder()
                .setConnectionId(connectionId)
                .setPatientId(or(text(p, "patientid", "patient_id", "id"), patientId))
                .setPracticeId(practiceId)
                .setFirstName(text(p, "firstname", "first_name", "given_name"))
                .setMiddleName(text(p, "middlename", "middle_name"))
                .setLastName(text(p, "lastname", "last_name", "family_name"))
                .setDateOfBirth(date(text(p, "dob", "date_of_birth", "birth_date", "birthdate")))
                .setSex(text(p, "sex", "gender"))
                .setEmail(text(p, "email"))
                .setHomePhone(text(p, "homephone", "home_phone", "phone"))
                .setMobilePhone(text(p, "mobilephone", "mobile_phone"))
                .setAddress(Address.newBuilder()
                        .setLine1(text(address, "address1", "address_line1", "line1"))
                        .setLine2(text(address, "address2", "address_line2", "line2"))
                        .setCity(text(address, "city"))
                        .setState(text(address, "state"))
                        .setPostalCode(text(address, "zip", "zipcode", "postal_code"))
                        .setCountry(text(address, "countrycode", "country_code", "country")))
                .setPrimaryProviderId(text(p, "primaryproviderid", "primary_provider_id"))
                .setPrimaryDepartmentId(text(p, "primarydepartmentid", "primary_department_id", "departmentid"))
                .build();
    }

    static ListAppointmentsResponse appointments(JsonNode root, String connectionId) {
        Iterable<JsonNode> items = array(root, "appointments");
        ListAppointmentsResponse.Builder response = ListAppointmentsResponse.newBuilder().setConnectionId(connectionId);
        for (JsonNode a : items) {
            String status = text(a, "appointmentstatus", "appointment_status", "status");
            response.addAppointments(Appointment.newBuilder()
                    .setAppointmentId(text(a, "appointmentid", "appointment_id", "id"))
                    .setDate(date(text(a, "date", "appointment_date")))
                    .setStartTime(text(a, "starttime", "start_time", "time"))
                    .setDurationMinutes(integer(text(a, "duration", "duration_minutes")))
                    .setAppointmentType(text(a, "appointmenttype", "appointment_type", "type"))
                    .setStatus(APPOINTMENT_STATUSES.getOrDefault(status.toLowerCase(Locale.ROOT),
                            status.toLowerCase(Locale.ROOT)))
                    .setProviderId(text(a, "providerid", "provider_id"))
                    .setProviderName(text(a, "providername", "provider_name", "provider"))
                    .setDepartmentId(text(a, "departmentid", "department_id"))
                    .setDepartmentName(text(a, "departmentname", "department_name", "department"))
                    .setReason(text(a, "reason", "patientappointmenttypename", "visit_reason")));
        }
        int total = integer(text(root, "totalcount", "total_count"));
        return response.setTotalCount(total > 0 ? total : response.getAppointmentsCount()).build();
    }

    static Balance balance(JsonNode root, String connectionId, String patientId) {
        JsonNode b = first(root, "balance");
        String total = amount(text(b, "total_balance", "totalbalance", "balance", "patient_balance",
                "patientbalance", "amount_due"));
        if (total.isEmpty() && b.path("balances").isArray()) {
            BigDecimal sum = BigDecimal.ZERO;
            for (JsonNode part : b.path("balances")) {
                String value = amount(text(part, "balance", "amount"));
                sum = value.isEmpty() ? sum : sum.add(new BigDecimal(value));
            }
            total = sum.toPlainString();
        }
        Balance.Builder balance = Balance.newBuilder()
                .setConnectionId(connectionId)
                .setPatientId(or(text(b, "patientid", "patient_id"), patientId))
                .setTotalBalance(total)
                .setCurrency(or(text(b, "currency"), "USD"));
        for (JsonNode s : array(b, "statements")) {
            balance.addStatements(Statement.newBuilder()
                    .setStatementId(text(s, "statementid", "statement_id", "id"))
                    .setStatementDate(date(text(s, "statementdate", "statement_date", "date")))
                    .setDueDate(date(text(s, "duedate", "due_date")))
                    .setAmountDue(amount(text(s, "amountdue", "amount_due", "amount", "balance")))
                    .setStatus(text(s, "status", "statementstatus").toLowerCase(Locale.ROOT)));
        }
        return balance.build();
    }

    static ListClaimsResponse claims(JsonNode root, String connectionId) {
        ListClaimsResponse.Builder response = ListClaimsResponse.newBuilder().setConnectionId(connectionId);
        for (JsonNode c : array(root, "claims")) {
            Claim.Builder claim = Claim.newBuilder()
                    .setClaimId(text(c, "claimid", "claim_id", "id"))
                    .setServiceDate(date(text(c, "servicedate", "service_date", "date_of_service")))
                    .setProviderName(text(c, "providername", "provider_name", "renderingprovider",
                            "rendering_provider"))
                    .setServiceDescription(text(c, "servicedescription", "service_description", "description",
                            "procedure_description"))
                    .setTotalCharge(amount(text(c, "totalcharge", "total_charge", "totalamount", "total_amount",
                            "charge_amount", "billed_amount", "amount")))
                    .setInsurancePaid(amount(text(c, "insurancepaid", "insurance_paid", "paid_amount")))
                    .setPatientResponsibility(amount(text(c, "patientresponsibility", "patient_responsibility",
                            "outstandingpatientbalance", "patient_balance")))
                    .setStatus(text(c, "claimstatus", "claim_status", "status").toLowerCase(Locale.ROOT))
                    .setClaimType(text(c, "claimtype", "claim_type", "type").toLowerCase(Locale.ROOT))
                    .setSubmittedDate(date(text(c, "submitteddate", "submitted_date", "created_date", "createddate")))
                    .setDepartmentId(text(c, "departmentid", "department_id"))
                    .setCurrency(or(text(c, "currency"), "USD"))
                    .setLastUpdated(text(c, "lastupdated", "last_updated", "lastmodified"));
            for (JsonNode procedure : array(c, "procedures", "procedure_codes", "procedurecodes")) {
                String code = procedure.isValueNode() ? procedure.asString()
                        : text(procedure, "procedurecode", "procedure_code", "code");
                if (!code.isBlank()) {
                    claim.addProcedureCodes(code);
                }
            }
            response.addClaims(claim);
        }
        return response.setNextPageToken(nextPageToken(root))
                .setTotalCount(integer(text(root, "totalcount", "total_count")))
                .build();
    }

    /** The token for the next page: athenahealth's own field, or the page_token of a {@code next} link. */
    static String nextPageToken(JsonNode root) {
        String token = text(root, "next_page_token", "nextpagetoken", "nextPageToken");
        if (!token.isEmpty()) {
            return token;
        }
        String next = text(root, "next");
        if (next.isEmpty()) {
            return "";
        }
        if (!next.contains("?") && !next.contains("/")) {
            return next;
        }
        try {
            String value = UriComponentsBuilder.fromUri(URI.create(next)).build().getQueryParams()
                    .getFirst("page_token");
            return value == null ? "" : value;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static JsonNode first(JsonNode root, String... wrappers) {
        if (root.isArray()) {
            return root.isEmpty() ? JsonNodeFactory.instance.objectNode() : root.get(0);
        }
        for (String wrapper : wrappers) {
            JsonNode inner = root.path(wrapper);
            if (inner.isObject()) {
                return inner;
            }
            if (inner.isArray() && !inner.isEmpty()) {
                return inner.get(0);
            }
        }
        return root;
    }

    private static Iterable<JsonNode> array(JsonNode root, String... names) {
        if (root.isArray()) {
            return root;
        }
        for (String name : names) {
            if (root.path(name).isArray()) {
                return root.path(name);
            }
        }
        return java.util.List.of();
    }

    private static String text(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && value.isValueNode() && !value.isNull()) {
                String text = value.isNumber() ? value.decimalValue().toPlainString() : value.asString();
                if (!text.isBlank()) {
                    return text.trim();
                }
            }
        }
        return "";
    }

    private static String or(String value, String fallback) {
        return value.isEmpty() && fallback != null ? fallback : value;
    }

    static String date(String value) {
        Matcher us = US_DATE.matcher(value);
        if (us.matches()) {
            return "%s-%02d-%02d".formatted(us.group(3), Integer.parseInt(us.group(1)), Integer.parseInt(us.group(2)));
        }
        Matcher iso = ISO_DATE.matcher(value);
        return iso.matches() ? iso.group(1) : value;
    }

    static String amount(String value) {
        if (value.isEmpty()) {
            return "";
        }
        try {
            return new BigDecimal(value.replace("$", "").replace(",", "").trim()).toPlainString();
        } catch (NumberFormatException e) {
            return "";
        }
    }

    private static int integer(String value) {
        try {
            return value.isEmpty() ? 0 : new BigDecimal(value).intValue();
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
