package org.grievance.ssd.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.DatasetException;
import org.grievance.ssd.data.DatasetFormat;
import org.grievance.ssd.data.DatasetProblems;
import org.grievance.ssd.data.DatasetStatistics;
import org.grievance.ssd.data.LabelFrames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ssd dataset ...}: look at a dataset before training on it. */
@Command(
    name = "dataset",
    mixinStandardHelpOptions = true,
    description = "Inspect a dataset.",
    subcommands = {DatasetCommand.CheckCommand.class})
public final class DatasetCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: check");
  }

  /** {@code ssd dataset check}: statistics and every problem; exit code 1 when there are any. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Loads a dataset, prints its statistics (objects per class, box sizes, aspect ratios,"
            + " image sizes) and every problem found, with its file and line or field.",
        "Images whose size the annotations do not give (all of a CSV dataset) are counted as"
            + " notes, not problems; --check-images reads their size from the image files.",
        "For images with an EXIF orientation, the size the annotations declare tells whether"
            + " the boxes were drawn on the displayed (upright) or on the stored pixels; stored-frame"
            + " boxes are turned upright, and images where the size cannot tell are listed."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:no problem found",
        "1:problems found, or the dataset cannot be read",
        "2:invalid command line"
      })
  static final class CheckCommand implements Callable<Integer> {
    /** Doubtful orientation decisions listed one per line before the rest is only counted. */
    static final int MAX_ORIENTATION_LINES = 20;

    @Spec CommandSpec spec;

    @Mixin DatasetOptions dataset;

    @Option(
        names = "--check-images",
        description =
            "Also open every image file's header (no pixels decoded): missing or unreadable"
                + " images and sizes differing from the annotations become problems.")
    boolean checkImages;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (dataset.format != null) {
        try {
          DatasetFormat.parse(dataset.format);
        } catch (IllegalArgumentException e) {
          throw new ParameterException(spec.commandLine(), "--format: " + e.getMessage());
        }
      }
      Dataset d;
      LabelFrames.Report frames;
      try {
        LabelFrames.Result loaded = dataset.loadWithFrames();
        d = loaded.dataset();
        frames = loaded.report();
      } catch (DatasetException | IllegalArgumentException e) {
        err.println("error: " + e.getMessage());
        err.flush();
        return 1;
      }
      List<DatasetProblems.Problem> problems = DatasetProblems.validate(d, checkImages);
      DatasetStatistics stats = DatasetStatistics.of(d, problems);
      out.print(stats.render());
      out.println();
      out.println("EXIF orientation (boxes are used in the displayed frame)");
      out.print(frames.render(MAX_ORIENTATION_LINES));
      List<DatasetProblems.Problem> defects = stats.defects();
      int notes = problems.size() - defects.size();
      if (notes > 0) {
        out.println();
        out.println(
            "note: "
                + notes
                + " image(s) without a size in the annotations; their boxes are not checked"
                + " against the image border (--check-images reads the size from the files)");
      }
      out.println();
      if (defects.isEmpty()) {
        out.println("OK: no problems found");
      } else {
        out.println(defects.size() + " problem(s):");
        for (DatasetProblems.Problem p : defects) {
          out.println("  " + p);
        }
      }
      out.flush();
      return defects.isEmpty() ? 0 : 1;
    }
  }
}
