package com.clinicwave.athena.account;

import com.clinicwave.athena.api.v1.Balance;
import com.clinicwave.athena.api.v1.GetBalanceRequest;
import com.clinicwave.athena.api.v1.GetPatientRequest;
import com.clinicwave.athena.api.v1.ListAppointmentsRequest;
import com.clinicwave.athena.api.v1.ListAppointmentsResponse;
import com.clinicwave.athena.api.v1.ListClaimsRequest;
import com.clinicwave.athena.api.v1.ListClaimsResponse;
import com.clinicwave.athena.api.v1.Patient;
import com.clinicwave.athena.connections.ConnectionDirectory;
import com.clinicwave.athena.connections.ConnectionToken;
import com.clinicwave.athena.connections.ConnectionsClient;
import com.clinicwave.athena.connections.ProviderTokens;
import com.clinicwave.athena.upstream.AthenaApi;
import com.clinicwave.athena.upstream.UpstreamException;
import com.clinicwave.platform.security.Caller;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * The patient-account operations, once, for both faces (gRPC and HTTP/JSON): authorize the caller, take the
 * connection's provider token (cached), call athenahealth, and map the answer to the proto message. A token
 * athenahealth refuses is refreshed once and the call retried once; after that the patient must reconnect.
 */
@Service
public class PatientAccounts {

    private static final Logger log = LoggerFactory.getLogger(PatientAccounts.class);
    private static final int MAX_PAGE_TOKEN = 512;
    private static final int MAX_PAGE_SIZE = 1000;

    private final ConnectionAccess access;
    private final ConnectionDirectory directory;
    private final ProviderTokens tokens;
    private final AthenaApi athena;

    PatientAccounts(ConnectionAccess access, ConnectionDirectory directory, ProviderTokens tokens, AthenaApi athena) {
        this.access = access;
        this.directory = directory;
        this.tokens = tokens;
        this.athena = athena;
    }

    public Patient getPatient(Caller caller, GetPatientRequest request) {
        String id = request.getConnectionId();
        return fetch(caller, id, ConnectionAccess.Operation.GET_PATIENT, "", Map.of(),
                (token, body) -> AthenaPayloads.patient(body, id,
                nonNull(token.practiceId()), nonNull(token.patientId())));
    }

    public ListAppointmentsResponse listAppointments(Caller caller, ListAppointmentsRequest request) {
        String id = request.getConnectionId();
        return fetch(caller, id, ConnectionAccess.Operation.LIST_APPOINTMENTS, "appointments", Map.of(),
                (token, body) -> AthenaPayloads.appointments(body, id));
    }

    public Balance getBalance(Caller caller, GetBalanceRequest request) {
        String id = request.getConnectionId();
        return fetch(caller, id, ConnectionAccess.Operation.GET_BALANCE, "balance", Map.of(),
                (token, body) -> AthenaPayloads.balance(body, id, nonNull(token.patientId())));
    }

    public ListClaimsResponse listClaims(Caller caller, ListClaimsRequest request) {
        String id = request.getConnectionId();
        String pageToken = request.getPageToken();
        if (pageToken.length() > MAX_PAGE_TOKEN) {
            throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED, "page_token is too long");
        }
        if (request.getPageSize() < 0 || request.getPageSize() > MAX_PAGE_SIZE) {
            throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "page_size must be between 1 and " + MAX_PAGE_SIZE);
        }
        String updatedSince = request.getUpdatedSince();
        if (!updatedSince.isEmpty()) {
            try {
                Instant.parse(updatedSince);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED,
                        "updated_since must be an ISO-8601 instant");
            }
        }
        String limit = request.getPageSize() == 0 ? "" : Integer.toString(request.getPageSize());
        return fetch(caller, id, ConnectionAccess.Operation.LIST_CLAIMS, "claims",
                Map.of("page_token", pageToken, "limit", limit, "updated_since", updatedSince),
                (token, body) -> AthenaPayloads.claims(body, id));
    }

    private interface Mapping<T> {
        T map(ConnectionToken token, JsonNode body);
    }

    private <T> T fetch(Caller caller, String connectionId, ConnectionAccess.Operation operation, String resource,
            Map<String, String> query, Mapping<T> mapping) {
        access.authorize(caller, connectionId, operation);
        ConnectionToken token = tokens.get(connectionId);
        Function<ConnectionToken, JsonNode> call = t -> {
            if ("reauth_required".equalsIgnoreCase(t.status())) {
                throw ConnectionsClient.reauthRequired();
            }
            return athena.get(t, resource, query);
        };
        try {
            try {
                return mapping.map(token, call.apply(token));
            } catch (UpstreamException.Unauthorized first) {
                log.info("athenahealth refused the token of connection {}: forcing one refresh", connectionId);
                token = tokens.refresh(connectionId);
                return mapping.map(token, call.apply(token));
            }
        } catch (UpstreamException.Unauthorized second) {
            log.info("athenahealth refused the refreshed token of connection {}: the patient must reconnect",
                    connectionId);
            tokens.evict(connectionId);
            throw ConnectionsClient.reauthRequired();
        } catch (ApiException e) {
            if (ConnectionsClient.REAUTH_REQUIRED.equals(e.code())) {
                // The connection's status changed: do not keep answering from the stale owner/status entry.
                directory.evict(connectionId);
                tokens.evict(connectionId);
            }
            throw e;
        }
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
