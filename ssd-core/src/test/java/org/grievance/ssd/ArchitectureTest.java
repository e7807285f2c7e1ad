package org.grievance.ssd;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;

/**
 * The package graph of the library is acyclic and ordered: each package may use only packages in
 * the tiers below its own, so that the folder layout reads as the order in which the detector is
 * built, from boxes up to the training of a detector.
 */
@AnalyzeClasses(
    packages = "org.grievance.ssd",
    importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {
  private static final String ROOT = "org.grievance.ssd";

  /**
   * The packages below {@link #ROOT}, bottom tier first. A package may depend on any package of a
   * lower tier, on none of its own tier or above.
   */
  private static final List<List<String>> TIERS =
      List.of(
          // geometry, files and the process: depend on nothing of ours
          List.of("box", "io", "engine"),
          List.of("anchor", "image"),
          // targets, detections, loss; images and data sets
          List.of("encode", "decode", "loss", "augment", "data", "synth"),
          // the network blocks; metrics
          List.of("model", "eval"),
          // the saved model's description and the architectures built from it
          List.of("spec"),
          // saved models on disk
          List.of("store"),
          // the generic training loop; inference
          List.of("train", "infer"),
          // the training data pipeline, a batch source of the loop
          List.of("train.loader"),
          // the detector's training, which validates through inference
          List.of("training"));

  @ArchTest
  static final ArchRule topLevelPackagesAreFreeOfCycles =
      slices().matching(ROOT + ".(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule subPackagesAreFreeOfCycles =
      slices().matching(ROOT + ".(**)").should().beFreeOfCycles();

  @ArchTest static final ArchRule lowerTiersDoNotDependOnHigherOnes = tiers();

  @ArchTest
  static final ArchRule theLibraryDoesNotDependOnItsApplications =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(ROOT + ".cli..", ROOT + ".register..", ROOT + ".bench..");

  private static LayeredArchitecture tiers() {
    LayeredArchitecture rule =
        layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .ensureAllClassesAreContainedInArchitectureIgnoring(ROOT);
    for (List<String> tier : TIERS) {
      for (String name : tier) {
        // train.loader is a tier above train, so train means the package alone
        String packages = ROOT + "." + name + (name.equals("train") ? "" : "..");
        rule = rule.layer(name).definedBy(packages);
      }
    }
    List<String> below = new ArrayList<>();
    for (List<String> tier : TIERS) {
      for (String name : tier) {
        rule =
            below.isEmpty()
                ? rule.whereLayer(name).mayNotAccessAnyLayer()
                : rule.whereLayer(name).mayOnlyAccessLayers(below.toArray(String[]::new));
      }
      below.addAll(tier);
    }
    return rule;
  }
}
