package com.clinicwave.sandbox;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency rule: data knows no protocol, and HTTP adapters ({@code web}) are used by nobody else. */
class ArchitectureTests {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("com.clinicwave.sandbox");

    @Test
    void theDataGeneratorKnowsNoProtocol() {
        noClasses().that().resideInAPackage("..sandbox.data")
                .should().dependOnClassesThat().resideInAnyPackage("..sandbox.oauth..", "..sandbox.fhir..",
                        "..sandbox.athena..", "..sandbox.fault..")
                .check(CLASSES);
    }

    @Test
    void webAdaptersAreNotUsedByOtherPackages() {
        noClasses().that().resideOutsideOfPackages("..web..")
                .should().dependOnClassesThat().resideInAnyPackage("..sandbox.*.web..")
                .check(CLASSES);
    }
}
