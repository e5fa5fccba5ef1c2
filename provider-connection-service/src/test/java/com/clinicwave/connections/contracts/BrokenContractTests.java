package com.clinicwave.connections.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Issue 18's acceptance: a field renamed in this producer fails this producer's build. The tests generated from the
 * consumers' contracts (the ones {@code ./mvnw verify} runs) are run again, through the JUnit Platform, against a
 * variant of this service whose answers carry {@code access_token} renamed to {@code accessToken}: the contracts whose
 * consumers read that field (claims-service's FHIR token, athena-service's athenahealth token) must fail, saying
 * which field is missing, and only those (the others still pass). The variant shares the module's one Spring context, so this costs seconds.
 */
class BrokenContractTests {

    @Test
    void renamingAFieldTheConsumersReadFailsTheirContracts() {
        TestExecutionSummary summary;
        ContractVerifierBase.renamedField = new String[] {"access_token", "accessToken"};
        try {
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            LauncherFactory.create().execute(request()
                    .selectors(selectClass(Claims_serviceTest.class), selectClass(Athena_serviceTest.class))
                    .build(), listener);
            summary = listener.getSummary();
        } finally {
            ContractVerifierBase.renamedField = null;
        }
        assertThat(summary.getTestsFoundCount()).isGreaterThanOrEqualTo(6);
        List<String> failed = summary.getFailures().stream()
                .map(f -> f.getTestIdentifier().getSource().orElseThrow())
                .map(source -> ((MethodSource) source).getClassName().replaceAll(".*\\.", "") + "."
                        + ((MethodSource) source).getMethodName())
                .toList();
        assertThat(failed).contains("Claims_serviceTest.validate_accessTokenOfFhirConnection",
                "Athena_serviceTest.validate_accessTokenOfAthenaConnection");
        // Only the contracts that read the field fail, and they say which field is missing.
        assertThat(summary.getFailures()).allSatisfy(f -> assertThat(f.getException()).hasMessageContaining(
                "access_token"));
        assertThat(summary.getTestsSucceededCount()).isPositive();
    }
}
