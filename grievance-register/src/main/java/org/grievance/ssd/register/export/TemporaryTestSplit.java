package org.grievance.ssd.register.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.PhotoStore;

/**
 * The register's test split exported into a temporary folder and loaded, for comparing models on it
 * without keeping an export around ({@code ssd register evaluate} without {@code --dataset}, and
 * the promotion's quality check). Closing deletes the folder.
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
   * Exports every reviewed photo of the test split, with {@code classes} (the models' classes), and
   * loads it.
   */
  public static TemporaryTestSplit export(
      Database db, PhotoStore photos, List<String> classes, DatasetExporter.Progress progress)
      throws IOException, SQLException {
    Path folder = Files.createTempDirectory("register-test-split");
    try {
      Path out = folder.resolve("export");
      ExportRequest request =
          new ExportRequest(out, ExportFormat.VOC, null, classes, EnumSet.of(Split.TEST));
      ExportSummary summary = new DatasetExporter(photos).export(db, request, progress);
      return new TemporaryTestSplit(folder, summary, ExportedDataset.load(out, Split.TEST));
    } catch (IOException | SQLException | RuntimeException e) {
      DatasetExporter.deleteRecursively(folder);
      throw e;
    }
  }

  /** The test split as the evaluators read it. */
  public Dataset dataset() {
    return dataset;
  }

  /** What the export wrote. */
  public ExportSummary summary() {
    return summary;
  }

  /** Deletes the temporary folder. */
  @Override
  public void close() throws IOException {
    DatasetExporter.deleteRecursively(folder);
  }
}
