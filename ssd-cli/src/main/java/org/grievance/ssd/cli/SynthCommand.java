package org.grievance.ssd.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.grievance.ssd.synth.SynthClass;
import org.grievance.ssd.synth.SynthConfig;
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
}
