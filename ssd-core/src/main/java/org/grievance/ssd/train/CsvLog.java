package org.grievance.ssd.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.grievance.ssd.io.AtomicFiles;

/**
 * {@code RUN_DIR/log.csv}: a header and one row per epoch, rewritten atomically after each epoch (a
 * reader never sees half a row). Absent values are empty cells.
 */
public final class CsvLog {
  /** The column names, in order. */
  public static final List<String> COLUMNS =
      List.of(
          "epoch",
          "step",
          "lr",
          "train_loss",
          "train_class_loss",
          "train_loc_loss",
          "train_extra_loss",
          "val_loss",
          "val_class_loss",
          "val_loc_loss",
          "val_map",
          "images_per_s",
          "seconds",
          "rss_mb");

  private final Path file;
  private final List<EpochReport> rows;

  private CsvLog(Path file, List<EpochReport> rows) {
    this.file = file;
    this.rows = rows;
  }

  /** A new, empty log. */
  public static CsvLog create(Path file) {
    return new CsvLog(file, new ArrayList<>());
  }

  /**
   * The existing log with only the rows of epochs {@code <= epochsCompleted} (rows written after
   * the checkpoint a resume starts from are dropped, so that epochs are not listed twice).
   */
  public static CsvLog resume(Path file, int epochsCompleted) throws IOException {
    List<EpochReport> kept = new ArrayList<>();
    if (Files.exists(file)) {
      for (EpochReport r : read(file)) {
        if (r.epoch() <= epochsCompleted) {
          kept.add(r);
        }
      }
    }
    return new CsvLog(file, kept);
  }

  /** Appends a row and rewrites the file. */
  public void append(EpochReport report) throws IOException {
    rows.add(report);
    StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
    for (EpochReport r : rows) {
      sb.append(format(r)).append('\n');
    }
    AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The rows so far. */
  public List<EpochReport> rows() {
    return List.copyOf(rows);
  }

  /** Parses a log written by this class. */
  public static List<EpochReport> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).equals(String.join(",", COLUMNS))) {
      throw new IOException(file + ": line 1 is not the expected header " + COLUMNS);
    }
    List<EpochReport> out = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String[] c = lines.get(i).split(",", -1);
      if (c.length != COLUMNS.size()) {
        throw new IOException(
            file + ": line " + (i + 1) + " has " + c.length + " cells, expected " + COLUMNS.size());
      }
      try {
        out.add(
            new EpochReport(
                Integer.parseInt(c[0]),
                Long.parseLong(c[1]),
                num(c[2]),
                num(c[3]),
                num(c[4]),
                num(c[5]),
                num(c[6]),
                num(c[7]),
                num(c[8]),
                num(c[9]),
                num(c[10]),
                num(c[11]),
                num(c[12]),
                num(c[13])));
      } catch (NumberFormatException e) {
        throw new IOException(file + ": line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static String format(EpochReport r) {
    return String.join(
        ",",
        Integer.toString(r.epoch()),
        Long.toString(r.globalStep()),
        cell(r.learningRate()),
        cell(r.trainLoss()),
        cell(r.trainClassLoss()),
        cell(r.trainLocLoss()),
        cell(r.trainExtraLoss()),
        cell(r.valLoss()),
        cell(r.valClassLoss()),
        cell(r.valLocLoss()),
        cell(r.valMap()),
        cell(r.imagesPerSecond()),
        cell(r.seconds()),
        cell(r.rssMb()));
  }

  private static String cell(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.7g", v);
  }

  private static double num(String s) {
    return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
  }
}
