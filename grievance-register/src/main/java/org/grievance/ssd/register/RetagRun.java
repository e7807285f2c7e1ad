package org.grievance.ssd.register;

import java.io.IOException;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Consumer;
import org.grievance.ssd.register.store.GrievanceRepository;
import org.grievance.ssd.register.store.RetagRepository;

/**
 * A resumable re-tagging of the grievances matching a filter ({@code ssd register retag}): it takes
 * them in id order and records the last id done in {@code retag_job} after each, so a run that is
 * stopped (or limited) continues where it stopped when started again with the same version and
 * filter. Each grievance goes through {@link GrievanceRetagger}, which skips grievances already up
 * to date: a grievance done just before a crash but not yet recorded is skipped on the next run.
 */
public final class RetagRun {
  private static final int BATCH = 100;

  private RetagRun() {}

  /**
   * Where a run stands.
   *
   * @param resumed whether it continued an earlier, unfinished run
   * @param remaining grievances matching the filter after {@code lastId}
   * @param finished whether every matching grievance is done
   */
  public record Progress(
      long jobId,
      String version,
      long lastId,
      int retagged,
      int skipped,
      long remaining,
      boolean resumed,
      boolean finished) {}

  /**
   * Re-tags the grievances with {@code status} (null: any) created at or after {@code since} (null:
   * any), at most {@code limit} of them in this call; {@code progress} hears after each one.
   */
  public static Progress run(
      Database db,
      GrievanceRetagger retagger,
      String status,
      OffsetDateTime since,
      int limit,
      String actor,
      Consumer<Progress> progress)
      throws IOException, SQLException {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    RetagRepository store = new RetagRepository();
    ModelVersions.ModelVersion v = retagger.version();
    RetagRepository.Job job =
        db.inTransaction(
            c -> {
              var found = store.unfinishedJob(c, v.id(), status, since);
              if (found.isPresent()) {
                return found.get();
              }
              OffsetDateTime now = GrievanceRepository.now();
              long id = store.insertJob(c, v.id(), status, since, now);
              ModelVersions.event(
                  c, now, actor, ModelVersions.RETAG_STARTED, v.id(), filterText(status, since));
              return store.job(c, id).orElseThrow();
            });
    boolean resumed = job.lastGrievanceId() > 0 || job.retagged() + job.skipped() > 0;
    long last = job.lastGrievanceId();
    int retagged = job.retagged();
    int skipped = job.skipped();
    int done = 0;
    while (done < limit) {
      long after = last;
      List<Long> ids =
          db.read(c -> store.idsAfter(c, after, status, since, Math.min(BATCH, limit)));
      if (ids.isEmpty()) {
        long jobId = job.id();
        int r = retagged;
        int s = skipped;
        db.inTransaction(
            c -> {
              OffsetDateTime now = GrievanceRepository.now();
              store.finishJob(c, jobId, now);
              ModelVersions.event(
                  c,
                  now,
                  actor,
                  ModelVersions.RETAG_FINISHED,
                  v.id(),
                  filterText(status, since) + "; " + r + " re-tagged, " + s + " skipped");
              return null;
            });
        Progress p = new Progress(job.id(), v.label(), last, retagged, skipped, 0, resumed, true);
        progress.accept(p);
        return p;
      }
      for (long id : ids) {
        if (done >= limit) {
          break;
        }
        boolean changed = retagger.retag(id) == GrievanceRetagger.Outcome.RETAGGED;
        long jobId = job.id();
        db.inTransaction(
            c -> {
              store.advanceJob(c, jobId, id, changed, GrievanceRepository.now());
              return null;
            });
        last = id;
        done++;
        if (changed) {
          retagged++;
        } else {
          skipped++;
        }
        long at = last;
        long remaining = db.read(c -> store.countAfter(c, at, status, since));
        progress.accept(
            new Progress(job.id(), v.label(), last, retagged, skipped, remaining, resumed, false));
      }
    }
    long at = last;
    long remaining = db.read(c -> store.countAfter(c, at, status, since));
    return new Progress(job.id(), v.label(), last, retagged, skipped, remaining, resumed, false);
  }

  private static String filterText(String status, OffsetDateTime since) {
    return "status "
        + (status == null ? "any" : status)
        + ", since "
        + (since == null ? "the start" : since.toInstant().toString());
  }
}
