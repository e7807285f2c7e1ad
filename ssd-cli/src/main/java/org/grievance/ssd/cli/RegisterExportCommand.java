package org.grievance.ssd.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.PhotoStore;
import org.grievance.ssd.register.export.DatasetExporter;
import org.grievance.ssd.register.export.ExportFormat;
import org.grievance.ssd.register.export.ExportRequest;
import org.grievance.ssd.register.export.ExportSummary;
import org.grievance.ssd.register.export.Split;
import org.grievance.ssd.store.ModelDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ssd register export}: officials' reviewed boxes as a training dataset. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the photos officials reviewed, with their boxes, as a Pascal VOC or COCO dataset that"
          + " 'ssd dataset check', 'ssd train' and 'ssd evaluate' read. Photos are the stored clean"
          + " copies (upright, no metadata). Train/val/test (70/15/15) follows a hash of the"
          + " grievance id, so a photo keeps its split from one export to the next. Written into a"
          + " staging folder and swapped in; an earlier export in --out is replaced."
    })
final class RegisterExportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DATASET", description = "Folder.")
  Path out;

  @Option(
      names = "--format",
      defaultValue = "voc",
      paramLabel = "voc|coco",
      description = "Dataset layout (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--since",
      paramLabel = "YYYY-MM-DD",
      description = "Only photos reviewed on or after this day (UTC).")
  LocalDate since;

  @Option(
      names = "--model",
      paramLabel = "MODEL",
      description =
          "Take the class list from this model (the one 'ssd serve --model' runs), so that"
              + " 'ssd train --init MODEL' can fine-tune it on the export.")
  Path model;

  @Option(
      names = "--classes",
      split = ",",
      paramLabel = "a,b,c",
      description =
          "The class list in order. Default: the --model's, else the classes the boxes use,"
              + " sorted. Boxes of other classes are left out and counted.")
  List<String> classes;

  @Mixin RegisterCommand.DatabaseOptions database;

  @Mixin PhotoOptions photoOptions;

  @Override
  public Integer call() throws Exception {
    if (model != null && classes != null) {
      throw new IllegalArgumentException("give --model or --classes, not both");
    }
    List<String> classList =
        model != null ? ModelDirectory.open(model).description().classNames() : classes;
    Instant from = since == null ? null : since.atStartOfDay(ZoneOffset.UTC).toInstant();
    ExportRequest request =
        new ExportRequest(out, ExportFormat.parse(format), from, classList, null);
    PrintWriter o = spec.commandLine().getOut();
    ExportSummary summary;
    try (Database db = database.open();
        PhotoStore photos = database.openPhotos(photoOptions)) {
      summary = export(db, photos, request, o);
    }
    summary.lines().forEach(o::println);
    o.println(
        "check it: ssd dataset check --data "
            + (request.format() == ExportFormat.VOC
                ? summary.out() + " --split " + Split.TRAIN.fileName()
                : summary.out().resolve(Split.TRAIN.fileName() + ".json")));
    o.flush();
    return 0;
  }

  /** Exports with a line of progress about every tenth of the photos. */
  static ExportSummary export(
      Database db, PhotoStore photos, ExportRequest request, PrintWriter out) throws Exception {
    DatasetExporter exporter = new DatasetExporter(photos);
    return exporter.export(
        db,
        request,
        (done, total) -> {
          if (done == total || done % Math.max(1, total / 10) == 0) {
            out.printf("exported %d/%d photos%n", done, total);
            out.flush();
          }
        });
  }
}
