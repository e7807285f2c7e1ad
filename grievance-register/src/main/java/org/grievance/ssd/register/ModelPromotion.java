package org.grievance.ssd.register;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.grievance.ssd.register.ModelVersions.ModelVersion;
import org.grievance.ssd.store.ModelDirectory;

/**
 * Makes a model the one the register serves: packs its checkpoint ({@link ModelArchive}), stores
 * the archive in the content-addressed {@link PhotoStore} (where every replica finds it) and
 * records a new {@link ModelVersions version}; servers switch to it at their next poll ({@link
 * ModelWatcher}). A candidate is refused when its classes differ from the served model's, or when
 * the {@link QualityGate} finds it worse, unless forced.
 */
public final class ModelPromotion {
  /** Refusal events in the models' audit trail. */
  public static final String REFUSED_EVENT = "promotion_refused";

  private final ModelVersions versions;
  private final PhotoStore store;
  private final Path modelsDir;

  /**
   * @param store where archives are kept (the register's photo store)
   * @param modelsDir where archives are unpacked to be loaded ({@link RegisterConfig#modelsDir()})
   */
  public ModelPromotion(Database db, PhotoStore store, Path modelsDir) {
    this.versions = new ModelVersions(db);
    this.store = store;
    this.modelsDir = modelsDir;
  }

  /**
   * Compares a candidate with the served model. The seam where the quality check plugs in: a gate
   * that finds the candidate worse makes {@link #promote} refuse it unless forced.
   */
  @FunctionalInterface
  public interface QualityGate {
    Verdict compare(Path served, Path candidate) throws IOException;

    /**
     * No comparison: every candidate with the served model's classes passes, and the version
     * records that it was not compared.
     */
    QualityGate NOT_COMPARED =
        (served, candidate) ->
            new Verdict(false, "quality not compared (no comparison on a test split configured)");
  }

  /** What a {@link QualityGate} found: whether the candidate is worse, and a one-line summary. */
  public record Verdict(boolean worse, String summary) {}

  /** How a promotion ended. */
  public enum Result {
    /** A new version was recorded. */
    PROMOTED,
    /** The candidate is the served model already (same archive); nothing was recorded. */
    ALREADY_SERVED,
    /** Refused: different classes or worse, without force. */
    REFUSED
  }

  /**
   * @param version the new version (PROMOTED), or the served one
   * @param previous the version served before, or null when there was none
   * @param message what happened, in a sentence for the operator
   */
  public record Outcome(
      Result result, ModelVersion version, ModelVersion previous, String message) {}

  /**
   * Promotes the model in {@code candidate} (a run, checkpoint or model directory) on behalf of
   * {@code actor}; with {@code force} a candidate with other classes, or one the gate finds worse,
   * is promoted anyway (and recorded as forced).
   */
  public Outcome promote(Path candidate, String actor, boolean force, QualityGate gate)
      throws IOException, SQLException {
    ModelDirectory dir = ModelDirectory.open(candidate);
    List<String> classes = List.copyOf(dir.description().classNames());
    String name = DetectionService.modelName(dir.checkpoint());
    byte[] archive = ModelArchive.pack(dir.checkpoint());
    String hash = PhotoStore.sha256(archive);
    Optional<ModelVersion> served = versions.latest();
    if (served.isPresent() && served.get().archiveSha256().equals(hash)) {
      return new Outcome(
          Result.ALREADY_SERVED,
          served.get(),
          served.get(),
          name + " is the served model already (" + served.get().label() + "); nothing changed");
    }
    String comparison = null;
    boolean forced = false;
    if (served.isPresent()) {
      ModelVersion s = served.get();
      if (!s.classes().equals(classes)) {
        String why =
            "the classes of "
                + name
                + " "
                + classes
                + " differ from those of the served "
                + s.label()
                + " "
                + s.classes()
                + " (order counts: class ids and grievance categories follow it)";
        if (!force) {
          return refuse(s, actor, why + "; give --force to promote it anyway");
        }
        forced = true;
        comparison = why;
      } else {
        Verdict v = gate.compare(checkout(s), dir.checkpoint());
        comparison = v.summary();
        if (v.worse()) {
          if (!force) {
            return refuse(
                s,
                actor,
                name
                    + " is worse than the served "
                    + s.label()
                    + ": "
                    + v.summary()
                    + "; give --force to promote it anyway");
          }
          forced = true;
        }
      }
    }
    // The archive first (atomic, durable), then the row that references it.
    store.put(archive);
    ModelVersion v =
        versions.promote(
            new ModelVersions.NewVersion(
                hash, name, classes, checkpointDate(dir.checkpoint()), actor, forced, comparison));
    return new Outcome(
        Result.PROMOTED,
        v,
        served.orElse(null),
        "promoted "
            + name
            + " as "
            + v.label()
            + served.map(s -> " (was " + s.label() + " " + s.modelName() + ")").orElse("")
            + (forced ? ", forced" : "")
            + (comparison == null ? "" : "; " + comparison));
  }

  /** When the checkpoint was written: its training state's time, to the microsecond; else null. */
  private static java.time.Instant checkpointDate(Path checkpoint) throws IOException {
    Path state = checkpoint.resolve(org.grievance.ssd.store.CheckpointFiles.STATE_FILE);
    if (!java.nio.file.Files.isRegularFile(state)) {
      return null;
    }
    return java.nio.file.Files.getLastModifiedTime(state)
        .toInstant()
        .truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  private Outcome refuse(ModelVersion served, String actor, String why) throws SQLException {
    versions.event(actor, REFUSED_EVENT, served.id(), why);
    return new Outcome(Result.REFUSED, served, served, "refused: " + why);
  }

  /**
   * The version a server starts with: the latest promoted one, or, when none was promoted yet,
   * {@code modelDir} recorded as the first version.
   */
  public ModelVersion servedOrFirst(Path modelDir, String actor) throws IOException, SQLException {
    Optional<ModelVersion> latest = versions.latest();
    if (latest.isPresent()) {
      return latest.get();
    }
    Outcome first = promote(modelDir, actor, false, QualityGate.NOT_COMPARED);
    return first.version();
  }

  /**
   * The folder holding {@code v}'s checkpoint, unpacked from the store on first use ({@code
   * modelsDir/HASH}).
   */
  public Path checkout(ModelVersion v) throws IOException {
    Path target = modelsDir.resolve(v.archiveSha256());
    if (java.nio.file.Files.isDirectory(target)) {
      return target;
    }
    return ModelArchive.unpack(store.read(v.archiveSha256()), target);
  }

  public ModelVersions versions() {
    return versions;
  }
}
