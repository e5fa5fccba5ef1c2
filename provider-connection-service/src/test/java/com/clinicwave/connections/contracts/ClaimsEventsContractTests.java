package com.clinicwave.connections.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.clinicwave.testsupport.contracts.ContractStubs;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.cloud.contract.stubrunner.junit.StubRunnerExtension;

/**
 * This service as the consumer of claims-service's {@code claims.events}: the stub runner publishes the event of the
 * contract this module owns ({@code src/test/resources/contracts/com.clinicwave/claims-service}, verified by
 * claims-service's build) to the embedded Kafka, and the real {@code ClaimsSyncListener} applies it to the connection
 * the contract names (made to exist by {@link ContractVerifierBase}).
 */
class ClaimsEventsContractTests extends ContractVerifierBase {

    @RegisterExtension
    static final StubRunnerExtension STUBS = ContractStubs.of("claims-service");

    @Test
    void claimsSyncedSetsTheConnectionsLastAndNextSync() {
        jdbc.sql("update connection set last_sync_at = null, next_sync_at = null where id = ?::uuid")
                .param(FHIR_CONNECTION).update();
        assertThat(STUBS.trigger("claims_synced")).isTrue();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var row = jdbc.sql("select last_sync_at, next_sync_at from connection where id = :id")
                    .param("id", UUID.fromString(FHIR_CONNECTION))
                    .query((rs, n) -> new Timestamp[] {rs.getTimestamp(1), rs.getTimestamp(2)}).single();
            assertThat(row[0]).isNotNull();
            assertThat(row[1]).isNotNull();
        });
    }
}
