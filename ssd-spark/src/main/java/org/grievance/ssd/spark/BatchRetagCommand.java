package org.grievance.ssd.spark;

import java.io.PrintWriter;
import java.time.OffsetDateTime;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.grievance.ssd.cli.PhotoOptions;
import org.grievance.ssd.cli.RegisterCommand;
import org.grievance.ssd.cli.RetagSelection;
import org.grievance.ssd.cli.TilingOptions;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.ModelPromotion;
import org.grievance.ssd.register.ModelVersions.ModelVersion;
import org.grievance.ssd.register.PhotoLocation;
import org.grievance.ssd.register.PhotoStore;
import org.grievance.ssd.register.RegisterConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ssd batch retag}: {@code ssd register retag} on Spark, for registers too large for one
 * machine's night (docs/batch-on-spark.md).
 */
@Command(
    name = "retag",
    mixinStandardHelpOptions = true,
    description = {
      "Re-tags stored grievances with the register's latest model version on Spark: ids are read"
          + " from the database, each executor opens the database, the photo store and the model"
          + " once, and re-tags its share one grievance per transaction while servers keep"
          + " serving. Grievances the version already tagged are skipped, so a rerun finishes an"
          + " interrupted run. Use the same --db/--data/--photos as 'ssd serve'; every executor"
          + " must reach them."
    })
public final class BatchRetagCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master (default: spark-submit's, else local[*]: every core of this machine).")
  String master;

  @Option(
      names = "--ids-per-partition",
      defaultValue = "1000",
      paramLabel = "N",
      description = "About this many grievances per task (default: ${DEFAULT-VALUE}).")
  int idsPerPartition;

  @Mixin RetagSelection selection;

  @Mixin TilingOptions tilingOptions;

  @Mixin RegisterCommand.DatabaseOptions database;

  @Mixin PhotoOptions photoOptions;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String wire = selection.statusWire();
    OffsetDateTime from = selection.from();
    RegisterConfig base = database.config();
    PhotoLocation where = photoOptions.location();
    RegisterConfig config =
        RegisterConfig.builder(java.nio.file.Path.of("."))
            .jdbcUrl(base.effectiveJdbcUrl())
            .dataDir(base.dataDir())
            .photos(where != null ? where : base.effectivePhotos())
            .tagThreshold(selection.tagThreshold)
            .tiling(tilingOptions.tiling())
            .build();
    BatchRetagJob.Summary s;
    try (Database db = Database.open(config.effectiveJdbcUrl());
        PhotoStore photos = PhotoStore.open(config.effectivePhotos())) {
      ModelVersion v =
          new ModelPromotion(db, photos, config.modelsDir())
              .versions()
              .latest()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no model version is recorded yet: start 'ssd serve' once or run 'ssd"
                              + " register promote --model DIR'"));
      SparkSession.Builder builder = SparkSession.builder().appName("ssd batch retag");
      if (master != null) {
        builder.master(master);
      } else if (System.getProperty("spark.master") == null) {
        builder.master("local[*]");
      }
      boolean ownSession = SparkSession.getDefaultSession().isEmpty();
      SparkSession spark = builder.getOrCreate();
      long start = System.nanoTime();
      try {
        out.println(
            "re-tagging with "
                + v.label()
                + " "
                + v.modelName()
                + " on "
                + spark.sparkContext().master());
        out.flush();
        s =
            BatchRetagJob.run(
                spark, db, RetagTarget.of(config, v.id()), wire, from, idsPerPartition);
      } finally {
        if (ownSession) {
          spark.stop();
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      s.failures().forEach(f -> err.println("error: " + f));
      out.printf(
          java.util.Locale.ROOT,
          "%s: %d grievances listed, %d re-tagged, %d skipped (up to date), %d gone in %.1f s%n",
          v.label(),
          s.listed(),
          s.retagged(),
          s.upToDate(),
          s.missing(),
          seconds);
    }
    if (!s.failures().isEmpty()) {
      err.println(
          s.failures().size()
              + " grievance(s) could not be re-tagged; run the same command again to retry them");
      return 1;
    }
    return 0;
  }
}
