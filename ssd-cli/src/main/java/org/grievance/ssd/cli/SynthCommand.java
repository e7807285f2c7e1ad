package org.grievance.ssd.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.grievance.ssd.synth.SynthClass;
import org.grievance.ssd.synth.SynthConfig;
import org.grievance.ssd.synth.SynthLook;
import org.grievance.ssd.synth.SynthSplit;
import org.grievance.ssd.synth.SynthSummary;
import org.grievance.ssd.synth.SyntheticDatasetGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ssd synth}: writes the deterministic synthetic grievance dataset in VOC layout. */
@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    description =
        "Generate a deterministic synthetic street-grievance dataset in Pascal VOC layout"
            + " (JPEGImages, Annotations, ImageSets/Main, classes.txt). Classes: pothole,"
            + " garbage, streetlight, waterleak, graffiti. Boxes are 0-based pixel corners,"
            + " xmax/ymax exclusive. The same options always give the same files.")
public final class SynthCommand implements Callable<Integer> {
  /** The difficulty presets. */
  enum Preset {
    quickstart,
    hard
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output directory (new, empty, or a previous synth output with --overwrite).")
  Path out;

  @Option(
      names = "--preset",
      defaultValue = "quickstart",
      description = "Difficulty preset: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Preset preset;

  @Option(names = "--train", paramLabel = "N", description = "Train images (preset: 1500).")
  Integer train;

  @Option(names = "--val", paramLabel = "N", description = "Validation images (preset: 300).")
  Integer val;

  @Option(names = "--test", paramLabel = "N", description = "Test images (preset: 300).")
  Integer test;

  @Option(names = "--height", paramLabel = "H", description = "Image height (preset: 240).")
  Integer height;

  @Option(names = "--width", paramLabel = "W", description = "Image width (preset: 320).")
  Integer width;

  @Option(names = "--seed", paramLabel = "S", description = "Master seed (preset: 1).")
  Long seed;

  @Option(names = "--overwrite", description = "Replace a previous synth output in --out.")
  boolean overwrite;

  @Option(
      names = "--objects",
      paramLabel = "MIN-MAX",
      description = "Labelled objects per image, e.g. 1-4 (overrides the preset).")
  String objects;

  @Option(
      names = "--object-size",
      paramLabel = "MIN-MAX",
      description =
          "Object size range as a fraction of the shorter image side, e.g. 0.12-0.5 (overrides"
              + " the preset).")
  String objectSize;

  @Option(
      names = "--distractors",
      paramLabel = "MIN-MAX",
      description = "Unlabelled distractor objects per image, e.g. 0-2 (overrides the preset).")
  String distractors;

  @Option(
      names = "--look-alike",
      paramLabel = "F",
      description = "Share of distractors that resemble a class, 0..1 (overrides the preset).")
  Double lookAlike;

  @Option(
      names = "--occlusion",
      paramLabel = "P",
      description = "Probability that an object is partly occluded (overrides the preset).")
  Double occlusion;

  @Option(
      names = "--truncation",
      paramLabel = "P",
      description = "Probability that an object is cut by the image border (overrides the preset).")
  Double truncation;

  @Option(
      names = "--clutter",
      paramLabel = "D",
      description = "Clutter marks per 10,000 pixels (overrides the preset).")
  Double clutter;

  @Option(
      names = "--look",
      paramLabel = "day|dusk",
      description =
          "Lighting: day (default), or dusk under sodium street lamps (darker, orange, grainier):"
              + " a shifted look for a model trained on day scenes.")
  String look;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    SynthConfig base = preset == Preset.hard ? SynthConfig.hard() : SynthConfig.quickstart();
    SynthConfig.Builder b = base.toBuilder();
    if (train != null) {
      b.trainImages(train);
    }
    if (val != null) {
      b.valImages(val);
    }
    if (test != null) {
      b.testImages(test);
    }
    if (height != null || width != null) {
      b.imageSize(height != null ? height : base.height(), width != null ? width : base.width());
    }
    if (seed != null) {
      b.seed(seed);
    }
    SynthConfig cfg;
    try {
      if (objects != null) {
        int[] r = intRange("--objects", objects);
        b.objects(r[0], r[1]);
      }
      if (objectSize != null) {
        double[] r = range("--object-size", objectSize);
        b.objectSize(r[0], r[1]);
      }
      if (distractors != null) {
        int[] r = intRange("--distractors", distractors);
        b.distractors(r[0], r[1]);
      }
      if (lookAlike != null) {
        b.lookAlikeFraction(lookAlike);
      }
      if (occlusion != null) {
        b.occlusionProbability(occlusion);
      }
      if (truncation != null) {
        b.truncationProbability(truncation);
      }
      if (clutter != null) {
        b.clutterDensity(clutter);
      }
      if (look != null) {
        b.look(SynthLook.parse(look));
      }
      cfg = b.build();
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("invalid synth options: " + e.getMessage());
      return 2;
    }
    o.printf(
        Locale.ROOT,
        "Generating %d images (%d train, %d val, %d test) of %dx%d, preset %s, seed %d into %s%n",
        cfg.totalImages(),
        cfg.trainImages(),
        cfg.valImages(),
        cfg.testImages(),
        cfg.height(),
        cfg.width(),
        preset,
        cfg.seed(),
        out);
    o.flush();
    long start = System.nanoTime();
    int step = Math.max(1, cfg.totalImages() / 10);
    SynthSummary summary;
    try {
      summary =
          SyntheticDatasetGenerator.generate(
              cfg,
              out,
              overwrite,
              (done, total) -> {
                if (done % step == 0 || done == total) {
                  o.printf(Locale.ROOT, "  %d/%d images%n", done, total);
                  o.flush();
                }
              });
    } catch (IOException e) {
      spec.commandLine().getErr().println("synth failed: " + e.getMessage());
      return 1;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    o.printf(
        Locale.ROOT,
        "Done in %.1f s: %d images, %d objects (%d truncated; %d small, %d medium, %d large)%n",
        seconds,
        summary.images(),
        summary.objects(),
        summary.truncated(),
        summary.small(),
        summary.medium(),
        summary.large());
    for (Map.Entry<SynthSplit, Integer> e : summary.imagesPerSplit().entrySet()) {
      o.printf(Locale.ROOT, "  %-12s %6d images%n", e.getKey().fileName(), e.getValue());
    }
    for (Map.Entry<SynthClass, Integer> e : summary.objectsPerClass().entrySet()) {
      o.printf(Locale.ROOT, "  %-12s %6d objects%n", e.getKey().label(), e.getValue());
    }
    o.flush();
    return 0;
  }

  /** {@code "a-b"} as two numbers; the message names the option and the text. */
  static double[] range(String option, String text) {
    String[] parts = text.trim().split("-", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException(option + " must be MIN-MAX, got '" + text + "'");
    }
    try {
      return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be MIN-MAX numbers, got '" + text + "'");
    }
  }

  /** {@code "a-b"} as two whole numbers. */
  static int[] intRange(String option, String text) {
    double[] r = range(option, text);
    if (r[0] != Math.rint(r[0]) || r[1] != Math.rint(r[1])) {
      throw new IllegalArgumentException(option + " must be whole numbers, got '" + text + "'");
    }
    return new int[] {(int) r[0], (int) r[1]};
  }
}
