package org.grievance.ssd.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.ModelPromotion;
import org.grievance.ssd.register.ModelVersions;
import org.grievance.ssd.register.PhotoStore;
import org.grievance.ssd.register.RegisterConfig;
import org.grievance.ssd.register.export.BaselineModel;
import org.grievance.ssd.register.export.ExportFormat;
import org.grievance.ssd.register.export.ExportRequest;
import org.grievance.ssd.register.export.ExportedDataset;
import org.grievance.ssd.register.export.ModelComparison;
import org.grievance.ssd.register.export.Split;
import org.grievance.ssd.store.ModelDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ssd register evaluate}: a new model against the baseline on the register's test split. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Scores a new model and the baseline on the register's test split (officials' reviewed"
          + " photos whose grievance id hashes into 'test') side by side: VOC07 AP and COCO AP per"
          + " class and mean, and whether the new model is worse (mean VOC07 AP lower by more than"
          + " --tolerance). Without --dataset the test split is exported into a temporary folder."
    })
final class RegisterEvaluateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "NEW", description = "The new model.")
  Path model;

  @Option(
      names = "--baseline",
      paramLabel = "MODEL",
      description =
          "The model to compare with (default: the version the register serves, see 'ssd"
              + " register models').")
  Path baseline;

  @Option(
      names = "--dataset",
      paramLabel = "EXPORTED_DIR",
      description = "An export ('ssd register export'); its test split is used.")
  Path dataset;

  @Option(
      names = "--tolerance",
      defaultValue = "0.01",
      description =
          "Mean VOC07 AP the new model may lose before it counts as worse (default:"
              + " ${DEFAULT-VALUE}).")
  double tolerance;

  @Option(names = "--json", description = "Print the comparison as JSON instead of a table.")
  boolean json;

  @Option(
      names = "--threads",
      defaultValue = "0",
      paramLabel = "N",
      description = "PyTorch intra-op threads; 0 keeps the engine's default.")
  int threads;

  @Mixin RegisterCommand.DatabaseOptions database;

  @Mixin PhotoOptions photoOptions;

  /** Where the default baseline comes from: the register's served model version. */
  BaselineModel servedModel = this::servedVersion;

  /** The latest promoted version, unpacked from the store ({@link ModelPromotion#checkout}). */
  private Optional<Path> servedVersion() throws IOException {
    RegisterConfig config = database.config();
    try (Database db = database.open();
        PhotoStore photos = database.openPhotos(photoOptions)) {
      ModelPromotion promotion = new ModelPromotion(db, photos, config.modelsDir());
      Optional<ModelVersions.ModelVersion> v = promotion.versions().latest();
      return v.isEmpty() ? Optional.empty() : Optional.of(promotion.checkout(v.get()));
    } catch (SQLException e) {
      throw new IOException("cannot read the promoted model versions", e);
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path base = baseline != null ? baseline : servedModel.servedModel().orElse(null);
    if (base == null) {
      throw new IllegalArgumentException(
          "--baseline is required: the register has no model version yet (start 'ssd serve'"
              + " once, or 'ssd register promote --model DIR')");
    }
    if (tolerance < 0 || !Double.isFinite(tolerance)) {
      throw new IllegalArgumentException("--tolerance must be >= 0, got " + tolerance);
    }
    ModelComparison comparison;
    if (dataset != null) {
      comparison = compare(base, ExportedDataset.load(dataset, Split.TEST));
    } else {
      Path tmp = Files.createTempDirectory("register-test-split");
      try {
        Path dir = tmp.resolve("export");
        ExportRequest request =
            new ExportRequest(
                dir,
                ExportFormat.VOC,
                null,
                ModelDirectory.open(model).description().classNames(),
                EnumSet.of(Split.TEST));
        if (!json) {
          out.println("exporting the register's test split to a temporary folder");
        }
        try (Database db = database.open();
            PhotoStore photos = database.openPhotos(photoOptions)) {
          var summary =
              RegisterExportCommand.export(
                  db, photos, request, json ? new PrintWriter(java.io.Writer.nullWriter()) : out);
          if (summary.photosPerSplit().getOrDefault(Split.TEST, 0) == 0) {
            // An export with no photo in the split is not a dataset ExportedDataset can read.
            throw new IllegalArgumentException(
                "the test split holds no reviewed photos yet: nothing to evaluate on");
          }
        }
        comparison = compare(base, ExportedDataset.load(dir, Split.TEST));
      } finally {
        deleteRecursively(tmp);
      }
    }
    if (json) {
      out.println(
          new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(comparison.toJson(new ObjectMapper(), tolerance)));
    } else {
      out.print(comparison.table(tolerance));
    }
    out.flush();
    return 0;
  }

  private ModelComparison compare(Path base, Dataset test) throws IOException {
    if (test.size() == 0) {
      throw new IllegalArgumentException(
          "the test split holds no reviewed photos yet: nothing to evaluate on");
    }
    return ModelComparison.of(base, model, test, threads);
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
