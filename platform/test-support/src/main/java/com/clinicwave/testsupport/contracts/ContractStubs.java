package com.clinicwave.testsupport.contracts;

import java.util.Arrays;
import org.springframework.cloud.contract.stubrunner.junit.StubRunnerExtension;
import org.springframework.cloud.contract.stubrunner.spring.StubRunnerProperties;
import org.springframework.util.ClassUtils;

/**
 * A consumer's stub runner (docs/contracts.md): the stubs of the named producers, generated when the test class
 * starts from the contracts this module owns ({@code src/test/resources/contracts/com.clinicwave/<producer>}, on the
 * test classpath), each on its own WireMock port; triggered events ({@code trigger(label)}) go to the test context's
 * Kafka. Register it with {@code @RegisterExtension static final}.
 */
public final class ContractStubs {

    private ContractStubs() {
    }

    public static StubRunnerExtension of(String... producers) {
        StubRunnerExtension stubs = new StubRunnerExtension()
                .stubsMode(StubRunnerProperties.StubsMode.CLASSPATH)
                .withGenerateStubs(true)
                .downloadStubs(Arrays.stream(producers).map(p -> "com.clinicwave:" + p).toList());
        // A consumer without Kafka (athena-service) has HTTP stubs only.
        boolean kafka = ClassUtils.isPresent("org.springframework.kafka.core.KafkaTemplate",
                ContractStubs.class.getClassLoader());
        return kafka ? stubs.messageVerifierSender(KafkaMessageSender.ofTestContext()) : stubs;
    }
}
