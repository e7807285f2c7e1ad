package org.grievance.ssd.register.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.ModelPromotion;
import org.grievance.ssd.register.PhotoStore;
import org.grievance.ssd.store.ModelDirectory;

/**
 * The promotion gate of {@code ssd register promote}: exports the register's test split (officials'
 * reviewed photos whose grievance id hashes into {@link Split#TEST}) into a temporary folder and
 * compares the candidate with the served model on it ({@link ModelComparison}); the candidate is
 * worse when its mean VOC07 AP is lower by more than the tolerance. A test split without reviewed
 * photos compares nothing, and the promotion goes ahead with that said in its record.
 */
public final class TestSplitQualityGate implements ModelPromotion.QualityGate {
  private final Database db;
  private final PhotoStore photos;
  private final Path scratch;
  private final double tolerance;
  private final int threads;

  /**
   * @param scratch where the temporary export goes (deleted afterwards)
   * @param tolerance mean VOC07 AP the candidate may lose ({@link
   *     ModelComparison#DEFAULT_TOLERANCE})
   * @param threads PyTorch intra-op threads for the evaluation; 0 keeps the engine's default
   */
  public TestSplitQualityGate(
      Database db, PhotoStore photos, Path scratch, double tolerance, int threads) {
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + tolerance);
    }
    this.db = db;
    this.photos = photos;
    this.scratch = scratch;
    this.tolerance = tolerance;
    this.threads = threads;
  }

  @Override
  public ModelPromotion.Verdict compare(Path served, Path candidate) throws IOException {
    Files.createDirectories(scratch);
    Path tmp = Files.createTempDirectory(scratch, "promote-test-split-");
    try {
      Path dir = tmp.resolve("export");
      ExportRequest request =
          new ExportRequest(
              dir,
              ExportFormat.VOC,
              null,
              ModelDirectory.open(candidate).description().classNames(),
              EnumSet.of(Split.TEST));
      ExportSummary summary;
      try {
        summary = new DatasetExporter(photos).export(db, request, DatasetExporter.Progress.NONE);
      } catch (SQLException e) {
        throw new IOException("cannot read the reviewed photos of the test split", e);
      }
      if (summary.photosPerSplit().getOrDefault(Split.TEST, 0) == 0) {
        return new ModelPromotion.Verdict(
            false, "quality not compared: the test split holds no reviewed photos yet");
      }
      Dataset test = ExportedDataset.load(dir, Split.TEST);
      ModelComparison c = ModelComparison.of(served, candidate, test, threads);
      return new ModelPromotion.Verdict(c.isWorse(tolerance), c.verdict(tolerance));
    } finally {
      try (Stream<Path> s = Files.walk(tmp)) {
        for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
