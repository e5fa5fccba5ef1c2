package com.clinicwave.athena.account.grpc;

import com.clinicwave.athena.account.PatientAccounts;
import com.clinicwave.athena.api.v1.Balance;
import com.clinicwave.athena.api.v1.GetBalanceRequest;
import com.clinicwave.athena.api.v1.GetPatientRequest;
import com.clinicwave.athena.api.v1.ListAppointmentsRequest;
import com.clinicwave.athena.api.v1.ListAppointmentsResponse;
import com.clinicwave.athena.api.v1.ListClaimsRequest;
import com.clinicwave.athena.api.v1.ListClaimsResponse;
import com.clinicwave.athena.api.v1.Patient;
import com.clinicwave.athena.api.v1.PatientAccountServiceGrpc;
import com.clinicwave.platform.security.Caller;
import com.clinicwave.platform.web.ApiException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.grpc.server.security.GrpcSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Service;

/**
 * The gRPC face of {@code clinicwave.athena.v1.PatientAccountService}: the caller comes from the bearer token the
 * security interceptor validated; errors become gRPC statuses with the problem code in the {@code x-error-code}
 * trailer (the same codes the HTTP face answers).
 */
@Service
class PatientAccountGrpcService extends PatientAccountServiceGrpc.PatientAccountServiceImplBase {

    static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("x-error-code", Metadata.ASCII_STRING_MARSHALLER);

    private static final Logger log = LoggerFactory.getLogger(PatientAccountGrpcService.class);

    private final PatientAccounts accounts;

    PatientAccountGrpcService(PatientAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public void getPatient(GetPatientRequest request, StreamObserver<Patient> observer) {
        respond(observer, caller -> accounts.getPatient(caller, request));
    }

    @Override
    public void listAppointments(ListAppointmentsRequest request, StreamObserver<ListAppointmentsResponse> observer) {
        respond(observer, caller -> accounts.listAppointments(caller, request));
    }

    @Override
    public void getBalance(GetBalanceRequest request, StreamObserver<Balance> observer) {
        respond(observer, caller -> accounts.getBalance(caller, request));
    }

    @Override
    public void listClaims(ListClaimsRequest request, StreamObserver<ListClaimsResponse> observer) {
        respond(observer, caller -> accounts.listClaims(caller, request));
    }

    private static <T> void respond(StreamObserver<T> observer, Function<Caller, T> operation) {
        T answer;
        try {
            answer = operation.apply(caller());
        } catch (ApiException e) {
            Metadata trailers = new Metadata();
            trailers.put(ERROR_CODE, e.code());
            observer.onError(status(e).withDescription(e.getMessage()).asRuntimeException(trailers));
            return;
        } catch (RuntimeException e) {
            log.error("gRPC call failed", e);
            Metadata trailers = new Metadata();
            trailers.put(ERROR_CODE, "INTERNAL_ERROR");
            observer.onError(Status.INTERNAL.withDescription("Internal error").asRuntimeException(trailers));
            return;
        }
        observer.onNext(answer);
        observer.onCompleted();
    }

    private static Caller caller() {
        SecurityContext context = GrpcSecurity.SECURITY_CONTEXT_KEY.get();
        Authentication authentication = context != null ? context.getAuthentication()
                : SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken token) {
            return Caller.from(token.getToken(), token.getAuthorities());
        }
        throw new ApiException(org.springframework.http.HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED",
                "Authentication is required");
    }

    static Status status(ApiException e) {
        return switch (e.status().value()) {
            case 400 -> Status.INVALID_ARGUMENT;
            case 401 -> Status.UNAUTHENTICATED;
            case 403 -> Status.PERMISSION_DENIED;
            case 404 -> Status.NOT_FOUND;
            case 409 -> Status.FAILED_PRECONDITION;
            case 429 -> Status.RESOURCE_EXHAUSTED;
            case 503, 502 -> Status.UNAVAILABLE;
            case 504 -> Status.DEADLINE_EXCEEDED;
            default -> Status.INTERNAL;
        };
    }
}
