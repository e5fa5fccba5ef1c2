package com.clinicwave.athena;

import com.clinicwave.testsupport.TestJwts;
import com.clinicwave.testsupport.contracts.ContractMockMvc;
import com.nimbusds.jwt.JWTClaimsSet;
import io.restassured.module.mockmvc.RestAssuredMockMvc;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.context.WebApplicationContext;

/**
 * The base of the tests Spring Cloud Contract generates from claims-service's contracts for this service's claims
 * API (under {@code claims-service/src/test/resources/contracts/com.clinicwave/athena-service}; docs/contracts.md):
 * every servlet filter of the shared context (the JWT resource server, the internal audience and the
 * {@code athena:claims:read} scope rule) into the real controller, with provider-connection-service and athenahealth
 * stood in by the context's WireMock for the contracts' connection.
 *
 * <p>The contracts' {@code Authorization} placeholder becomes claims-service's service token (audience
 * {@code clinicwave-internal}, scopes {@code connections:token athena:claims:read}).
 */
public abstract class ContractVerifierBase extends AthenaIntegrationTest {

    private static final String PLACEHOLDER_TOKEN = "Bearer service-token-athena-claims-read";
    private static final Connection CONNECTION = new Connection("8c6a1d2e-0000-4000-8000-000000000002",
            "8c6a1d2e-0000-4000-8000-0000000000c2", "/athenahealth/contract/api", "195900", "patient-001");

    @Autowired
    private WebApplicationContext context;

    @BeforeEach
    void contractState() {
        RestAssuredMockMvc.mockMvc(ContractMockMvc.of(context));
        RestAssuredMockMvc.postProcessors(ContractMockMvc.credentials(Map.of(PLACEHOLDER_TOKEN,
                () -> "Bearer " + TestJwts.sign(new JWTClaimsSet.Builder().subject("claims-service")
                        .claim("client_id", "claims-service").audience("clinicwave-internal")
                        .claim("scope", "connections:token athena:claims:read").build(), Duration.ofMinutes(5)))));
        stubConnectionInfo(CONNECTION, "active");
        stubAccessToken(CONNECTION, false, "at-contract-athena", Instant.now().plusSeconds(3600));
        stubAthena(CONNECTION, "at-contract-athena");
    }

    @AfterEach
    void resetRestAssured() {
        RestAssuredMockMvc.reset();
    }
}
