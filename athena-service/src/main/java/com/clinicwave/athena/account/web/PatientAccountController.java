package com.clinicwave.athena.account.web;

import com.clinicwave.athena.account.PatientAccounts;
import com.clinicwave.athena.api.v1.GetBalanceRequest;
import com.clinicwave.athena.api.v1.GetPatientRequest;
import com.clinicwave.athena.api.v1.ListAppointmentsRequest;
import com.clinicwave.athena.api.v1.ListClaimsRequest;
import com.clinicwave.platform.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP/JSON face of {@code clinicwave.athena.v1.PatientAccountService}: each route builds the gRPC request
 * message, calls the one implementation, and renders the gRPC response message as JSON.
 */
@RestController
@RequestMapping(path = "/api/athena/connections/{connection_id}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Patient account at athenahealth", description = "Same messages as the gRPC PatientAccountService")
class PatientAccountController {

    private final PatientAccounts accounts;

    PatientAccountController(PatientAccounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/patient")
    @Operation(summary = "Demographics (clinicwave.athena.v1.Patient)")
    ResponseEntity<String> patient(@PathVariable("connection_id") String connectionId) {
        return json(ProtoJson.render(accounts.getPatient(Caller.current(),
                GetPatientRequest.newBuilder().setConnectionId(connectionId).build())));
    }

    @GetMapping("/appointments")
    @Operation(summary = "Upcoming and past appointments (clinicwave.athena.v1.ListAppointmentsResponse)")
    ResponseEntity<String> appointments(@PathVariable("connection_id") String connectionId) {
        return json(ProtoJson.render(accounts.listAppointments(Caller.current(),
                ListAppointmentsRequest.newBuilder().setConnectionId(connectionId).build())));
    }

    @GetMapping("/balance")
    @Operation(summary = "Account balance and statements (clinicwave.athena.v1.Balance)")
    ResponseEntity<String> balance(@PathVariable("connection_id") String connectionId) {
        return json(ProtoJson.render(accounts.getBalance(Caller.current(),
                GetBalanceRequest.newBuilder().setConnectionId(connectionId).build())));
    }

    @GetMapping("/claims")
    @Operation(summary = "Claims as athenahealth reports them, paged by page_token "
            + "(clinicwave.athena.v1.ListClaimsResponse)")
    ResponseEntity<String> claims(@PathVariable("connection_id") String connectionId,
            @RequestParam(name = "page_token", required = false, defaultValue = "") String pageToken,
            @RequestParam(name = "page_size", required = false, defaultValue = "0") int pageSize,
            @RequestParam(name = "updated_since", required = false, defaultValue = "") String updatedSince) {
        return json(ProtoJson.render(accounts.listClaims(Caller.current(), ListClaimsRequest.newBuilder()
                .setConnectionId(connectionId).setPageToken(pageToken).setPageSize(pageSize)
                .setUpdatedSince(updatedSince).build())));
    }

    private static ResponseEntity<String> json(String body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
