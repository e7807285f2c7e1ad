package org.grievance.ssd.cli;

import java.time.OffsetDateTime;
import java.util.concurrent.Callable;
import org.grievance.ssd.infer.Detector;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.DetectionService;
import org.grievance.ssd.register.GrievanceRetagger;
import org.grievance.ssd.register.ModelPromotion;
import org.grievance.ssd.register.ModelVersions.ModelVersion;
import org.grievance.ssd.register.PhotoStore;
import org.grievance.ssd.register.RegisterConfig;
import org.grievance.ssd.register.RetagRun;
import org.grievance.ssd.register.workflow.TagThresholds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ssd register retag}: re-runs detection on stored grievances with the served model version,
 * beside running servers, resumably.
 */
@Command(
    name = "retag",
    mixinStandardHelpOptions = true,
    description = {
      "Re-tags stored grievances with the served model version (detections, annotated photo,"
          + " categories unless an official set them, model version), while servers keep"
          + " serving. Progress is kept in the database: run it again to continue an interrupted"
          + " run; grievances already tagged by this version are skipped. Use the same"
          + " --db/--data as 'ssd serve'."
    })
final class RegisterRetagCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Re-tag at most N grievances in this run; the next run continues.")
  Integer limit;

  @Mixin RetagSelection selection;

  @Mixin TilingOptions tilingOptions;

  @Mixin RegisterCommand.DatabaseOptions database;

  @Mixin PhotoOptions photoOptions;

  @Override
  public Integer call() throws Exception {
    String wire = selection.statusWire();
    if (limit != null && limit < 1) {
      throw new ParameterException(spec.commandLine(), "--limit must be >= 1, got " + limit);
    }
    OffsetDateTime from = selection.from();
    RegisterConfig config =
        RegisterConfig.builder(java.nio.file.Path.of("."))
            .jdbcUrl(database.jdbcUrl())
            .dataDir(database.data)
            .tagThreshold(selection.tagThreshold)
            .tiling(tilingOptions.tiling())
            .build();
    var out = spec.commandLine().getOut();
    try (Database db = database.open();
        PhotoStore photos = database.openPhotos(photoOptions)) {
      ModelPromotion promotion = new ModelPromotion(db, photos, config.modelsDir());
      ModelVersion v =
          promotion
              .versions()
              .latest()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no model version is recorded yet: start 'ssd serve' once or run 'ssd"
                              + " register promote --model DIR'"));
      try (Detector detector =
          Detector.load(promotion.checkout(v), DetectionService.detectorOptions(config))) {
        TagThresholds thresholds =
            TagThresholds.of(
                selection.tagThreshold,
                detector.options().resolve(detector.description().decoder()).classThresholds());
        GrievanceRetagger retagger =
            new GrievanceRetagger(db, photos, detector, v, thresholds, config.scratchDir());
        out.println(
            "re-tagging with "
                + v.label()
                + " "
                + v.modelName()
                + " ("
                + selection.describe()
                + ")");
        out.flush();
        long[] lastPrint = {System.nanoTime()};
        RetagRun.Progress p =
            RetagRun.run(
                db,
                retagger,
                wire,
                from,
                limit == null ? Integer.MAX_VALUE : limit,
                "ssd register retag",
                progress -> {
                  long now = System.nanoTime();
                  if (progress.finished() || now - lastPrint[0] > 2_000_000_000L) {
                    lastPrint[0] = now;
                    out.println(line(progress));
                    out.flush();
                  }
                });
        if (!p.finished()) {
          out.println(line(p));
          out.println("stopped at the limit; run the same command again to continue.");
        } else {
          out.println("done.");
        }
        out.flush();
      }
    }
    return 0;
  }

  private static String line(RetagRun.Progress p) {
    return String.format(
        "%s job %d: %d re-tagged, %d skipped (up to date), %d to go, last grievance id %d%s",
        p.version(),
        p.jobId(),
        p.retagged(),
        p.skipped(),
        p.remaining(),
        p.lastId(),
        p.resumed() ? " (resumed)" : "");
  }
}
