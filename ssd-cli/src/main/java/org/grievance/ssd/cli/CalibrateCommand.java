package org.grievance.ssd.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.DatasetLoader;
import org.grievance.ssd.data.DatasetSpec;
import org.grievance.ssd.eval.EvaluationTables;
import org.grievance.ssd.eval.ThresholdCalibration;
import org.grievance.ssd.eval.ThresholdRule;
import org.grievance.ssd.infer.DatasetPredictions;
import org.grievance.ssd.infer.ThresholdCalibrator;
import org.grievance.ssd.store.CheckpointFiles;
import org.grievance.ssd.store.ModelDirectory;
import org.grievance.ssd.training.DetectorTraining;
import org.grievance.ssd.training.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ssd calibrate}: chooses a model's per-class score thresholds on validation images and
 * writes them into its {@code model.json}, as {@code ssd train} does at the end of training.
 */
@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    description = {
      "Chooses a score threshold per class from the model's precision-recall curves on validation"
          + " images (VOC matching, IoU > 0.5, detections above 0.01) and stores them in its"
          + " model.json, replacing earlier ones.",
      "ssd predict and ssd serve then use them unless --threshold / --tag-threshold is given. A"
          + " class without ground truth, detections or true positives, or whose curve never"
          + " reaches the target precision, keeps the model's global threshold (0.5 unless it"
          + " says otherwise). A run directory gets best/ and last/ calibrated, each on its own"
          + " weights. A VOC directory is read at its 'val' image set unless --split names"
          + " another."
    })
public final class CalibrateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "MODEL",
      description = "Run directory (best/ and last/) or checkpoint / model directory.")
  Path model;

  @Mixin DatasetOptions dataset;

  @Option(
      names = "--rule",
      defaultValue = "f1",
      paramLabel = "RULE",
      converter = RuleWords.class,
      completionCandidates = RuleWords.class,
      description =
          "Where on each curve: ${COMPLETION-CANDIDATES}. The point of best F1 (f1, default), or"
              + " the lowest score whose precision reaches --target-precision (precision).")
  ThresholdRule.Kind rule;

  @Option(
      names = "--target-precision",
      paramLabel = "P",
      description = "The precision the precision rule must reach (default: 0.9).")
  Double targetPrecision;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ThresholdRule thresholdRule = rule(rule, targetPrecision, "--rule precision");
    DatasetSpec data = TrainingData.validationSplit(dataset.spec());
    Dataset images = DatasetLoader.load(data);
    out.printf(
        Locale.ROOT,
        "calibrating %s on %d images of %s%s%n",
        model,
        images.samples().size(),
        images.source(),
        data.split() == null ? "" : " (" + data.split() + ")");
    out.flush();
    Path checkpoint = ModelDirectory.resolve(model);
    boolean runDirectory = isCheckpointOf(model, checkpoint);
    Map<String, ThresholdCalibration> calibrations =
        runDirectory
            ? DetectorTraining.calibrate(
                model, images, thresholdRule, DatasetPredictions.Progress.NONE)
            : Map.of(
                checkpoint.getFileName().toString(),
                ThresholdCalibrator.calibrate(
                    checkpoint, images, thresholdRule, DatasetPredictions.Progress.NONE));
    report(out, runDirectory ? model : checkpoint.getParent(), calibrations);
    return 0;
  }

  /** True when {@code checkpoint} is {@code best/} or {@code last/} of the run {@code path}. */
  private static boolean isCheckpointOf(Path path, Path checkpoint) {
    Path parent = checkpoint.toAbsolutePath().normalize().getParent();
    return parent != null && parent.equals(path.toAbsolutePath().normalize());
  }

  /**
   * The table of the first calibration, a line for each other one (a run's {@code last/}), and
   * where the thresholds went.
   */
  static void report(PrintWriter out, Path parent, Map<String, ThresholdCalibration> calibrations) {
    boolean first = true;
    for (Map.Entry<String, ThresholdCalibration> e : calibrations.entrySet()) {
      Path file =
          (parent == null ? Path.of(e.getKey()) : parent.resolve(e.getKey()))
              .resolve(CheckpointFiles.DESCRIPTION_FILE);
      if (first) {
        out.print(EvaluationTables.thresholds(e.getValue()));
        out.println("written to " + file);
        first = false;
      } else {
        Map<String, Double> t = e.getValue().thresholds();
        out.println(
            "written to "
                + file
                + ": "
                + (t.isEmpty()
                    ? "no class thresholds"
                    : t.entrySet().stream()
                        .map(x -> x.getKey() + " " + x.getValue())
                        .collect(Collectors.joining(", "))));
      }
    }
    out.println(
        "ssd predict and ssd serve use these thresholds unless --threshold or --tag-threshold is"
            + " given");
    out.flush();
  }

  /**
   * The rule an option pair names; {@code --target-precision} only goes with the precision rule
   * ({@code precisionRule} says how the user asks for it).
   */
  static ThresholdRule rule(ThresholdRule.Kind kind, Double target, String precisionRule) {
    if (kind == ThresholdRule.Kind.F1) {
      if (target != null) {
        throw new IllegalArgumentException(
            "--target-precision " + target + " needs " + precisionRule);
      }
      return ThresholdRule.bestF1();
    }
    try {
      return ThresholdRule.targetPrecision(
          target == null ? ThresholdRule.DEFAULT_TARGET_PRECISION : target);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--target-precision must be in (0, 1], got " + target, e);
    }
  }

  /** {@code --rule}: {@code f1} or {@code precision}. */
  static final class RuleWords extends OptionWords<ThresholdRule.Kind> {
    RuleWords() {
      super("--rule", ThresholdRule.Kind.class);
    }
  }
}
