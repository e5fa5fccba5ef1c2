package com.clinicwave.connections.contracts;

import com.clinicwave.connections.IntegrationTestSupport;
import com.clinicwave.connections.connection.Connection;
import com.clinicwave.connections.connection.ConnectionEvents;
import com.clinicwave.connections.connection.ConnectionRepository;
import com.clinicwave.connections.crypto.TokenCipher;
import com.clinicwave.testsupport.TestJwts;
import com.clinicwave.testsupport.contracts.ContractMockMvc;
import io.restassured.module.mockmvc.RestAssuredMockMvc;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * The base of the tests Spring Cloud Contract generates from the consumers' contracts (claims-service's and
 * athena-service's, under their {@code src/test/resources/contracts/com.clinicwave/provider-connection-service};
 * docs/contracts.md). They go through this service's whole servlet filter chain (every filter of the application
 * context, Spring Security's JWT resource server and scope rules included) into the real controllers, PostgreSQL and
 * Redis, in the context every integration test of the module shares (so they add no context start). Event contracts
 * ({@code connection.events}) are triggered through {@link ConnectionEvents} and read back from the outbox exactly as
 * the relay publishes them.
 *
 * <p>The contracts name fixed connection ids; this base makes them exist (connected through the real OAuth flow,
 * then moved to those ids). Their {@code Authorization} header carries a placeholder the consumers' stubs accept as any
 * bearer token; here it becomes a signed service token with the scope {@code connections:token}.
 */
public abstract class ContractVerifierBase extends IntegrationTestSupport {

    static final String FHIR_CONNECTION = "8c6a1d2e-0000-4000-8000-000000000001";
    static final String ATHENA_CONNECTION = "8c6a1d2e-0000-4000-8000-000000000002";
    static final String REAUTH_CONNECTION = "8c6a1d2e-0000-4000-8000-000000000003";
    private static final String PLACEHOLDER_TOKEN = "Bearer service-token-connections-token";

    /**
     * Set only by {@link BrokenContractTests}: the producer variant whose JSON answers carry the field {@code [0]}
     * renamed to {@code [1]}, as if a developer had renamed a response record's component.
     */
    static volatile String @Nullable [] renamedField;

    @Autowired
    private WebApplicationContext context;
    @Autowired
    private ConnectionEvents events;
    @Autowired
    private ConnectionRepository repository;
    @Autowired
    private TransactionTemplate transactions;

    @BeforeEach
    void contractState() {
        String[] renamed = renamedField;
        RestAssuredMockMvc.mockMvc(renamed == null ? ContractMockMvc.of(context)
                : ContractMockMvc.of(context, new RenamingFilter(renamed[0], renamed[1])));
        RestAssuredMockMvc.postProcessors(ContractMockMvc.credentials(Map.of(PLACEHOLDER_TOKEN,
                () -> "Bearer " + TestJwts.service("claims-service", List.of("connections:token")))));
        ensure(FHIR_CONNECTION, "trellis", "8c6a1d2e-0000-4000-8000-0000000000c1", "at-contract-fhir");
        ensure(ATHENA_CONNECTION, "athenahealth", "8c6a1d2e-0000-4000-8000-0000000000c2", "at-contract-athena");
        jdbc.sql("update connection set practice_id = '195900' where id = ?::uuid").param(ATHENA_CONNECTION).update();
        ensure(REAUTH_CONNECTION, "trellis", "8c6a1d2e-0000-4000-8000-0000000000c3", "at-contract-gone");
        jdbc.sql("update connection set status = 'reauth_required', status_reason = 'invalid_grant' where id = ?::uuid")
                .param(REAUTH_CONNECTION).update();
    }

    /** Triggers of claims-service's {@code connection.events} contracts: the real events, through the outbox. */
    public void connectionCreated() {
        publish(c -> events.created(c));
    }

    public void connectionRefreshed() {
        publish(c -> events.refreshed(c, Instant.now().plusSeconds(3600)));
    }

    public void connectionReauthRequired() {
        publish(c -> events.reauthRequired(c, "invalid_grant"));
    }

    public void connectionDeleted() {
        publish(c -> events.deleted(c));
    }

    private void publish(Consumer<Connection> event) {
        transactions.executeWithoutResult(tx -> event.accept(
                repository.findLive(UUID.fromString(FHIR_CONNECTION)).orElseThrow()));
    }

    @AfterEach
    void resetRestAssured() {
        RestAssuredMockMvc.reset();
    }

    private void ensure(String fixedId, String provider, String consumer, String accessToken) {
        boolean present = jdbc.sql("select count(*) from connection where id = ?::uuid").param(fixedId)
                .query(Long.class).single() > 0;
        if (!present) {
            String refreshToken = "rt-" + UUID.randomUUID();
            String id = connect(provider, consumer, accessToken, refreshToken);
            // Tokens are encrypted bound to their row's id: moved to the fixed id, they are encrypted for it.
            TokenCipher cipher = new TokenCipher(ROTATED_KEYSET);
            UUID fixed = UUID.fromString(fixedId);
            jdbc.sql("""
                    update connection set id = :fixed, access_token_ciphertext = :access,
                        refresh_token_ciphertext = :refresh where id = :id
                    """).param("fixed", fixed)
                    .param("access", cipher.encrypt(accessToken, Connection.accessTokenAd(fixed)))
                    .param("refresh", cipher.encrypt(refreshToken, Connection.refreshTokenAd(fixed)))
                    .param("id", UUID.fromString(id)).update();
        }
    }

    /** Rewrites the JSON the controllers wrote, renaming one field. */
    private static final class RenamingFilter extends OncePerRequestFilter {

        private final String from;
        private final String to;

        RenamingFilter(String from, String to) {
            this.from = from;
            this.to = to;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
            chain.doFilter(request, wrapper);
            String body = new String(wrapper.getContentAsByteArray(), StandardCharsets.UTF_8)
                    .replace("\"" + from + "\"", "\"" + to + "\"");
            wrapper.resetBuffer();
            wrapper.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
            wrapper.copyBodyToResponse();
        }
    }
}
