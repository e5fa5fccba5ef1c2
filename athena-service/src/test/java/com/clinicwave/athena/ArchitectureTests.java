package com.clinicwave.athena;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The dependency rule: the faces depend on the operations, the operations on the clients, never back. */
class ArchitectureTests {

    // Only this module's compiled classes: scanning the whole classpath for the package costs seconds.
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(Path.of("target/classes"));

    @Test
    void clientsDoNotDependOnTheOperationsOrTheFaces() {
        noClasses().that().resideInAnyPackage("..athena.connections..", "..athena.upstream..")
                .should().dependOnClassesThat().resideInAnyPackage("..athena.account..", "..athena.security..")
                .check(CLASSES);
    }

    @Test
    void theOperationsDoNotDependOnEitherFace() {
        noClasses().that().resideInAPackage("com.clinicwave.athena.account")
                .should().dependOnClassesThat().resideInAnyPackage("..account.web..", "..account.grpc..")
                .check(CLASSES);
    }

    @Test
    void theFacesDoNotTalkToAthenahealthDirectly() {
        noClasses().that().resideInAnyPackage("..account.web..", "..account.grpc..")
                .should().dependOnClassesThat().resideInAnyPackage("..athena.upstream..", "..athena.connections..")
                .check(CLASSES);
    }
}
