package com.clinicwave.connections;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** HTTP stays at the edge: nothing but a web package depends on a web package; providers never see web types. */
@AnalyzeClasses(packages = "com.clinicwave.connections", importOptions = ImportOption.DoNotIncludeTests.class)
class DependencyRuleTests {

    @ArchTest
    static final ArchRule webIsOnlyUsedByWeb = noClasses().that().resideOutsideOfPackage("com.clinicwave.connections..web..")
            .should().dependOnClassesThat().resideInAPackage("com.clinicwave.connections..web..")
            .allowEmptyShould(true)
            .because("controllers translate HTTP; the domain must not depend on them");

    @ArchTest
    static final ArchRule cryptoDependsOnNothingOfTheService = noClasses().that()
            .resideInAPackage("com.clinicwave.connections.crypto..")
            .should().dependOnClassesThat().resideInAnyPackage("com.clinicwave.connections.connection..",
                    "com.clinicwave.connections.oauth..", "com.clinicwave.connections.catalog..")
            .because("the cipher and the signing keys are leaf utilities");
}
