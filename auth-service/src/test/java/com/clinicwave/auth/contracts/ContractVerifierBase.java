package com.clinicwave.auth.contracts;

import com.clinicwave.auth.AuthIntegrationTest;
import com.clinicwave.auth.config.SecretHashEncoder;
import com.clinicwave.auth.events.AuthEvents;
import com.clinicwave.testsupport.contracts.ContractMockMvc;
import io.restassured.module.mockmvc.RestAssuredMockMvc;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The base of the tests Spring Cloud Contract generates from the gateway's contracts for auth-service (under
 * {@code gateway/src/test/resources/contracts/com.clinicwave/auth-service}; docs/contracts.md): the API-key exchange
 * through the MockMvc of the shared context (every servlet filter, Spring Security's client authentication and scope
 * rules, the real controller, PostgreSQL and Redis), and the {@code auth.events} revocation events, triggered through
 * {@link AuthEvents} and read back from the outbox exactly as the relay publishes them.
 *
 * <p>The contracts carry placeholders for secrets: {@code Basic gateway-client-credentials} becomes the gateway
 * client's credentials of the test context; the API key {@code cwk_contract_valid_key_...} is made to exist here
 * (owned by the seeded user {@code demo}, scope {@code claims:read}).
 */
public abstract class ContractVerifierBase extends AuthIntegrationTest {

    static final String VALID_KEY = "cwk_contract_valid_key_00000000000000";
    static final UUID VALID_KEY_ID = UUID.fromString("8c6a1d2e-0000-4000-8000-0000000000a1");
    private static final String PLACEHOLDER_CREDENTIALS = "Basic gateway-client-credentials";

    @Autowired
    private AuthEvents events;

    private UUID demoUser;
    private UUID demoTenant;

    @BeforeEach
    void contractState() {
        RestAssuredMockMvc.mockMvc(mvc);
        RestAssuredMockMvc.postProcessors(ContractMockMvc.credentials(Map.of(PLACEHOLDER_CREDENTIALS,
                () -> "Basic " + Base64.getEncoder().encodeToString(
                        "gateway:gateway-test-secret".getBytes(StandardCharsets.UTF_8)))));
        var demo = jdbc.sql("""
                select u.id, u.tenant_id from app_user u join tenant t on t.id = u.tenant_id
                where u.username = 'demo' and t.tenant_key = 'clinicwave'
                """).query((rs, n) -> new UUID[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)}).single();
        demoUser = demo[0];
        demoTenant = demo[1];
        jdbc.sql("""
                insert into api_key (id, user_id, tenant_id, name, prefix, key_hash, scopes, expires_at)
                values (:id, :user, :tenant, 'contract', :prefix, :hash, 'claims:read', now() + interval '1 day')
                on conflict (id) do update set revoked_at = null, expires_at = now() + interval '1 day'
                """).param("id", VALID_KEY_ID).param("user", demoUser).param("tenant", demoTenant)
                .param("prefix", VALID_KEY.substring(0, 12)).param("hash", SecretHashEncoder.sha256(VALID_KEY))
                .update();
    }

    @AfterEach
    void resetRestAssured() {
        RestAssuredMockMvc.reset();
    }

    public void tokenRevoked() {
        events.tokenRevoked("contract-jti-1", null, Instant.now().plusSeconds(300));
    }

    public void sessionRevoked() {
        events.sessionRevoked("8c6a1d2e-0000-4000-8000-0000000000f1", demoUser.toString(), demoTenant.toString(),
                Instant.now().plusSeconds(300));
    }

    public void apiKeyRevoked() {
        events.apiKeyRevoked(VALID_KEY_ID, demoUser, demoTenant, Instant.now().plusSeconds(300));
    }
}
