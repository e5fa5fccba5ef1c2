package com.clinicwave.claims.contracts;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.clinicwave.claims.ClaimsIntegrationTest;
import com.clinicwave.claims.sync.SyncService;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The base of the tests Spring Cloud Contract generates from provider-connection-service's contract for this
 * service's {@code claims.events} (under
 * {@code provider-connection-service/src/test/resources/contracts/com.clinicwave/claims-service}; docs/contracts.md):
 * a real sync of a FHIR connection in the context every integration test of the module shares, whose
 * {@code claims.synced} event is read back from the outbox exactly as the relay publishes it.
 */
public abstract class ContractVerifierBase extends ClaimsIntegrationTest {

    @Autowired
    private SyncService syncs;

    public void claimsSynced() {
        UUID id = fhirConnection(user());
        wiremock.stubFor(get(urlPathEqualTo(eobPath(id))).willReturn(okJson(bundle(id, List.of(), null))));
        SyncService.Started started = syncs.start(connections.find(id).orElseThrow(), "manual");
        syncs.await(started.syncId(), Duration.ofSeconds(30));
    }
}
