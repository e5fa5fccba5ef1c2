package com.clinicwave.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.clinicwave.athena.api.v1.Balance;
import com.clinicwave.athena.api.v1.GetBalanceRequest;
import com.clinicwave.athena.api.v1.GetPatientRequest;
import com.clinicwave.athena.api.v1.ListAppointmentsRequest;
import com.clinicwave.athena.api.v1.ListAppointmentsResponse;
import com.clinicwave.athena.api.v1.ListClaimsRequest;
import com.clinicwave.athena.api.v1.ListClaimsResponse;
import com.clinicwave.athena.api.v1.Patient;
import com.clinicwave.athena.api.v1.PatientAccountServiceGrpc;
import com.clinicwave.athena.api.v1.PatientAccountServiceGrpc.PatientAccountServiceBlockingStub;
import com.clinicwave.testsupport.TestJwts;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

/** The same operations over gRPC, with a real client on the server's (random) port. */
class PatientAccountGrpcIntegrationTests extends AthenaIntegrationTest {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> ERROR_CODE =
            Metadata.Key.of("x-error-code", Metadata.ASCII_STRING_MARSHALLER);

    @Autowired
    GrpcServerLifecycle grpcServer;

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = NettyChannelBuilder.forAddress("localhost", grpcServer.getPort()).usePlaintext().build();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private PatientAccountServiceBlockingStub stub(String token) {
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(AUTHORIZATION, "Bearer " + token);
        }
        return PatientAccountServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    @Test
    void theFourOperationsAnswerOverGrpcWithTheSameMessages() {
        Connection connection = connection("grpc-token");
        stubAthena(connection, "grpc-token");
        PatientAccountServiceBlockingStub stub = stub(connection.userToken());

        Patient patient = stub.getPatient(GetPatientRequest.newBuilder().setConnectionId(connection.id()).build());
        assertThat(patient.getFirstName()).isEqualTo("Ada");
        assertThat(patient.getDateOfBirth()).isEqualTo("1985-12-10");
        assertThat(patient.getPatientId()).isEqualTo(connection.patientId());

        ListAppointmentsResponse appointments = stub.listAppointments(
                ListAppointmentsRequest.newBuilder().setConnectionId(connection.id()).build());
        assertThat(appointments.getAppointmentsList()).extracting(a -> a.getAppointmentId())
                .containsExactly("1001", "1000");

        Balance balance = stub.getBalance(GetBalanceRequest.newBuilder().setConnectionId(connection.id()).build());
        assertThat(balance.getTotalBalance()).isEqualTo("125.5");
        assertThat(balance.getStatementsList()).hasSize(1);

        ListClaimsResponse first = stub.listClaims(ListClaimsRequest.newBuilder().setConnectionId(connection.id())
                .build());
        assertThat(first.getClaims(0).getClaimId()).isEqualTo("C-1");
        ListClaimsResponse second = stub.listClaims(ListClaimsRequest.newBuilder().setConnectionId(connection.id())
                .setPageToken(first.getNextPageToken()).build());
        assertThat(second.getClaims(0).getClaimId()).isEqualTo("C-2");
        assertThat(second.getNextPageToken()).isEmpty();
    }

    @Test
    void aCallWithoutAValidTokenIsUnauthenticated() {
        Connection connection = connection("grpc-unused");
        GetPatientRequest request = GetPatientRequest.newBuilder().setConnectionId(connection.id()).build();

        StatusRuntimeException anonymous = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub(null).getPatient(request));
        assertThat(anonymous.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);

        StatusRuntimeException forged = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub("not-a-jwt").getPatient(request));
        assertThat(forged.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void theHealthServiceAnswersWithoutAToken() {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().build());

        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void aServiceCallerGetsOnlyItsOperationOverGrpc() {
        Connection connection = connection("grpc-service");
        stubAthena(connection, "grpc-service");
        String claimsService = TestJwts.sign(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("claims-service")
                .claim("client_id", "claims-service").audience("clinicwave-internal")
                .claim("scope", "connections:token athena:claims:read").build(), java.time.Duration.ofMinutes(5));

        ListClaimsResponse claims = stub(claimsService).listClaims(
                ListClaimsRequest.newBuilder().setConnectionId(connection.id()).build());
        assertThat(claims.getClaimsCount()).isPositive();

        StatusRuntimeException patient = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub(claimsService).getPatient(GetPatientRequest.newBuilder().setConnectionId(connection.id())
                        .build()));
        assertThat(patient.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(patient.getTrailers().get(ERROR_CODE)).isEqualTo("INSUFFICIENT_PERMISSIONS");
    }

    @Test
    void anotherUsersConnectionIsNotFoundOverGrpc() {
        Connection connection = connection("grpc-other");
        String stranger = TestJwts.user(UUID.randomUUID().toString(), TENANT, List.of("athena:read"), List.of());

        StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub(stranger).getBalance(GetBalanceRequest.newBuilder().setConnectionId(connection.id()).build()));

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(error.getTrailers().get(ERROR_CODE)).isEqualTo("NOT_FOUND");
    }

    @Test
    void aConnectionThatCannotBeRefreshedIsReauthRequiredOverGrpc() {
        Connection connection = connection("grpc-dead");
        stubReauthRequired(connection);
        WIREMOCK.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(connection.athenaPath("")))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(401)));

        StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub(connection.userToken()).getPatient(
                        GetPatientRequest.newBuilder().setConnectionId(connection.id()).build()));

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(error.getTrailers().get(ERROR_CODE)).isEqualTo("REAUTH_REQUIRED");
    }
}
