package com.clinicwave.auth;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Package-by-feature rules: web controllers are leaves, and nothing below the web layer depends on it. */
class ArchitectureTests {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("com.clinicwave.auth");

    @Test
    void nothingDependsOnWebPackages() {
        noClasses().that().resideOutsideOfPackages("..web..").should().dependOnClassesThat()
                .resideInAPackage("com.clinicwave.auth..web..").check(classes);
    }

    @Test
    void domainPackagesDoNotUseTheServletApi() {
        noClasses().that().resideInAnyPackage("..user..", "..tenant..", "..keys..", "..apikey", "..events..")
                .should().dependOnClassesThat().resideInAPackage("jakarta.servlet..").check(classes);
    }
}
