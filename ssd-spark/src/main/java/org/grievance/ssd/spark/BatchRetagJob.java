package org.grievance.ssd.spark;

import java.io.IOException;
import java.io.Serializable;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.GrievanceRetagger;
import org.grievance.ssd.register.ModelVersions;
import org.grievance.ssd.register.store.RetagRepository;

/**
 * {@code ssd batch retag} as a library call: lists the ids of the grievances to re-tag from the
 * register's database on the driver, spreads them over tasks, and has each executor re-tag them
 * with the register's own {@link GrievanceRetagger#retag} (one transaction per grievance, the row
 * locked while it is written, so a serving register and its officials lose nothing). Re-tagging is
 * idempotent: a grievance that the version already tagged is left alone, so a retried task or a
 * rerun after a crash only finishes what is missing. docs/batch-on-spark.md describes it.
 */
public final class BatchRetagJob {
  /** The actor of the audit events a batch retag writes. */
  public static final String ACTOR = "ssd batch retag";

  /** Ids read from the database per query while listing. */
  private static final int PAGE = 10_000;

  /**
   * What a job did.
   *
   * @param listed grievances matching the filter
   * @param retagged re-tagged with the version by this run
   * @param upToDate already tagged by the version (or a newer one): left alone
   * @param missing deleted between listing and re-tagging
   * @param failures one message per grievance that could not be re-tagged (a rerun tries again)
   */
  public record Summary(
      long listed, long retagged, long upToDate, long missing, List<String> failures) {}

  /** What one task did. */
  record Counts(long retagged, long upToDate, long missing, List<String> failures)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private BatchRetagJob() {}

  /**
   * Re-tags the grievances with {@code status} (null: any) created at or after {@code since} (null:
   * any) with {@code target}'s version; {@code db} is the driver's connection to the same database.
   */
  public static Summary run(
      SparkSession spark,
      Database db,
      RetagTarget target,
      String status,
      OffsetDateTime since,
      int idsPerPartition)
      throws SQLException {
    if (idsPerPartition < 1) {
      throw new IllegalArgumentException(
          "ids per partition must be at least 1, got " + idsPerPartition);
    }
    List<Long> ids = listIds(db, status, since);
    ModelVersions versions = new ModelVersions(db);
    String filter =
        "status " + (status == null ? "any" : status) + (since == null ? "" : ", since " + since);
    versions.event(ACTOR, ModelVersions.RETAG_STARTED, target.versionId(), filter);
    List<Counts> counts = List.of();
    if (!ids.isEmpty()) {
      int partitions =
          BatchPredictJob.partitions(
              ids.size(), idsPerPartition, spark.sparkContext().defaultParallelism());
      counts =
          JavaSparkContext.fromSparkContext(spark.sparkContext())
              .parallelize(ids, partitions)
              .mapPartitions(retagAll(target))
              .collect();
    }
    long retagged = 0;
    long upToDate = 0;
    long missing = 0;
    List<String> failures = new ArrayList<>();
    for (Counts c : counts) {
      retagged += c.retagged();
      upToDate += c.upToDate();
      missing += c.missing();
      failures.addAll(c.failures());
    }
    versions.event(
        ACTOR,
        ModelVersions.RETAG_FINISHED,
        target.versionId(),
        filter
            + "; "
            + retagged
            + " re-tagged, "
            + upToDate
            + " skipped"
            + (failures.isEmpty() ? "" : ", " + failures.size() + " failed"));
    return new Summary(ids.size(), retagged, upToDate, missing, failures);
  }

  /** The ids of the grievances matching the filter, ascending, read a page at a time. */
  static List<Long> listIds(Database db, String status, OffsetDateTime since) throws SQLException {
    RetagRepository store = new RetagRepository();
    List<Long> ids = new ArrayList<>();
    while (true) {
      long after = ids.isEmpty() ? 0 : ids.get(ids.size() - 1);
      List<Long> page = db.read(c -> store.idsAfter(c, after, status, since, PAGE));
      ids.addAll(page);
      if (page.size() < PAGE) {
        return ids;
      }
    }
  }

  private static FlatMapFunction<Iterator<Long>, Counts> retagAll(RetagTarget target) {
    return ids -> {
      GrievanceRetagger retagger = ExecutorRetaggers.get(target);
      long retagged = 0;
      long upToDate = 0;
      long missing = 0;
      List<String> failures = new ArrayList<>();
      while (ids.hasNext()) {
        long id = ids.next();
        try {
          switch (retagger.retag(id)) {
            case RETAGGED -> retagged++;
            case UP_TO_DATE -> upToDate++;
            case MISSING -> missing++;
          }
        } catch (IOException | SQLException e) {
          failures.add("grievance " + id + ": " + e.getMessage());
        }
      }
      return List.of(new Counts(retagged, upToDate, missing, failures)).iterator();
    };
  }
}
