package com.clinicwave.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The gateway is Spring Cloud Gateway plus edge filters, not a proxy of its own: Netty is touched only to configure the
 * listener and to recognise its errors, traces come from Micrometer observations, and tokens are verified only in the
 * security package (through the resource server's decoder).
 */
class ArchitectureTests {

    // Only this module's compiled classes: scanning the whole classpath for the package costs seconds.
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(Path.of("target/classes"));

    @Test
    void nettyIsOnlyConfiguredNeverProgrammedAsAProxy() {
        noClasses().that().resideOutsideOfPackages("..gateway.edge..", "..gateway.problem..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "reactor.netty..")
                .check(CLASSES);
        classes().that().resideInAPackage("..gateway.edge..")
                .and().areAssignableTo(io.netty.channel.ChannelHandler.class)
                .should().haveSimpleNameEndingWith("DecodeFailures")
                .allowEmptyShould(true)
                .check(CLASSES);
    }

    @Test
    void tracesComeFromObservationsNotFromHandWrittenPropagation() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("brave..", "io.micrometer.tracing.propagation..")
                .check(CLASSES);
    }

    @Test
    void tokensAreVerifiedOnlyInTheSecurityPackage() {
        noClasses().that().resideOutsideOfPackage("..gateway.security..")
                .should().dependOnClassesThat().resideInAnyPackage("com.nimbusds.jose.proc..", "com.nimbusds.jwt.proc..",
                        "com.nimbusds.jose.jwk.source..")
                .check(CLASSES);
    }

    @Test
    void theDenyListAndTheLimitersDoNotDependOnTheWebLayer() {
        noClasses().that().resideInAPackage("..gateway.revocation..")
                .should().dependOnClassesThat().resideInAnyPackage("..gateway.edge..", "..gateway.security..",
                        "..gateway.ratelimit..", "..gateway.apikey..", "org.springframework.cloud.gateway..")
                .check(CLASSES);
        noClasses().that().haveSimpleNameStartingWith("ClusterWindowCounter")
                .or().haveSimpleNameStartingWith("RedisWindowCounter")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.web..",
                        "org.springframework.cloud.gateway..")
                .check(CLASSES);
    }
}
