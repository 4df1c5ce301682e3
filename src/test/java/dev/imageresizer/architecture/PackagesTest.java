package dev.imageresizer.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The packages read from the bottom up: {@code failure} and {@code config} depend on nothing of the domain;
 * {@code imaging} and {@code storage} on those; {@code event} on those too, and on {@code storage} for the one thing a
 * notification shares with the store, an object's {@code ETag}; {@code pipeline} on all of them; the entry points
 * ({@code function}, {@code messaging}, {@code backfill}, {@code local}) on the pipeline. No cycle between packages.
 */
@AnalyzeClasses(packages = "dev.imageresizer", importOptions = ImportOption.DoNotIncludeTests.class)
class PackagesTest {

    @ArchTest
    static final ArchRule noCycles = slices().matching("dev.imageresizer.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule failuresAreALeaf = noClasses().that().resideInAPackage("dev.imageresizer.failure..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.imageresizer.config..", "dev.imageresizer.event..",
                    "dev.imageresizer.imaging..", "dev.imageresizer.storage..", "dev.imageresizer.pipeline..",
                    "dev.imageresizer.messaging..", "dev.imageresizer.function..", "dev.imageresizer.backfill..", "dev.imageresizer.local..");

    @ArchTest
    static final ArchRule configurationDependsOnNothingOfTheDomain = noClasses().that().resideInAPackage("dev.imageresizer.config..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.imageresizer.failure..", "dev.imageresizer.event..",
                    "dev.imageresizer.imaging..", "dev.imageresizer.storage..", "dev.imageresizer.pipeline..",
                    "dev.imageresizer.messaging..", "dev.imageresizer.function..", "dev.imageresizer.backfill..", "dev.imageresizer.local..");

    @ArchTest
    static final ArchRule thePipelineKnowsNoEntryPoint = noClasses().that().resideInAPackage("dev.imageresizer.pipeline..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.imageresizer.messaging..", "dev.imageresizer.function..",
                    "dev.imageresizer.backfill..", "dev.imageresizer.local..");
}
