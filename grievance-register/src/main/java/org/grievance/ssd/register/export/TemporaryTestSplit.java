package org.grievance.ssd.register.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.io.AtomicFiles;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.PhotoStore;

/**
 * The register's test split exported into a temporary folder and loaded, for comparing models on it
 * without keeping an export around ({@code ssd register evaluate} without {@code --dataset}, and
 * the promotion's {@link TestSplitQualityGate}). Closing deletes the folder.
 */
public final class TemporaryTestSplit implements AutoCloseable {
  private final Path folder;
  private final ExportSummary summary;
  private final Dataset dataset;

  private TemporaryTestSplit(Path folder, ExportSummary summary, Dataset dataset) {
    this.folder = folder;
    this.summary = summary;
    this.dataset = dataset;
  }

  /**
   * Exports every reviewed photo of the test split into a new folder under {@code scratch}, with
   * {@code classes} (the models' classes), and loads it.
   */
  public static TemporaryTestSplit export(
      Database db,
      PhotoStore photos,
      Path scratch,
      List<String> classes,
      DatasetExporter.Progress progress)
      throws IOException, SQLException {
    Files.createDirectories(scratch);
    Path folder = Files.createTempDirectory(scratch, "register-test-split-");
    try {
      Path out = folder.resolve("export");
      ExportRequest request =
          new ExportRequest(out, ExportFormat.VOC, null, classes, EnumSet.of(Split.TEST));
      ExportSummary summary = new DatasetExporter(photos).export(db, request, progress);
      boolean empty = summary.photosPerSplit().getOrDefault(Split.TEST, 0) == 0;
      return new TemporaryTestSplit(
          folder, summary, empty ? null : ExportedDataset.load(out, Split.TEST));
    } catch (IOException | SQLException | RuntimeException e) {
      AtomicFiles.deleteRecursively(folder);
      throw e;
    }
  }

  /** The test split as the evaluators read it; empty while no reviewed photo falls into it. */
  public Optional<Dataset> dataset() {
    return Optional.ofNullable(dataset);
  }

  /** What the export wrote. */
  public ExportSummary summary() {
    return summary;
  }

  /** Deletes the temporary folder. */
  @Override
  public void close() throws IOException {
    AtomicFiles.deleteRecursively(folder);
  }
}
