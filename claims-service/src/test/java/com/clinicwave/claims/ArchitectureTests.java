package com.clinicwave.claims;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTests {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.clinicwave.claims");

    @Test
    void nothingDependsOnTheWebLayer() {
        noClasses().that().resideOutsideOfPackages("com.clinicwave.claims..web..")
                .should().dependOnClassesThat().resideInAPackage("com.clinicwave.claims..web..")
                .check(CLASSES);
    }

    @Test
    void providerSourcesKnowNothingOfSyncRunsOrStorage() {
        noClasses().that().resideInAPackage("..claims.sources..")
                .should().dependOnClassesThat().resideInAnyPackage("..claims.sync..", "..claims.claim..",
                        "..claims.connections..")
                .check(CLASSES);
    }
}
