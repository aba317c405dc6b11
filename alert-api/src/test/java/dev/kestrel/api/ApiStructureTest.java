package dev.kestrel.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The API's shape (docs/api.md, How the API is built): each feature's store owns its tables and its SQL, controllers
 * only call stores, and the feature packages do not depend on each other in a circle.
 */
class ApiStructureTest {
    /** The API's own classes, from the build's output: scanning the whole classpath for them took seconds. */
    private static final JavaClasses API = new ClassFileImporter().importPath(java.nio.file.Path.of("target", "classes"));

    @Test
    void controllersIssueNoSqlOfTheirOwn() {
        noClasses().that().haveSimpleNameEndingWith("Controller").should().dependOnClassesThat()
                .haveFullyQualifiedName("java.sql.PreparedStatement")
                .because("a feature's SQL lives in its store, which owns the feature's tables")
                .check(API);
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("dev.kestrel.api.(*)..").should().beFreeOfCycles().check(API);
    }
}
