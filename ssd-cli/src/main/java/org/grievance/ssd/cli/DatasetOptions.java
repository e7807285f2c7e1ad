package org.grievance.ssd.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.DatasetFormat;
import org.grievance.ssd.data.DatasetLoader;
import org.grievance.ssd.data.DatasetSpec;
import org.grievance.ssd.data.LabelFrames;
import picocli.CommandLine.Option;

/**
 * How every command names a dataset: {@code --data DATASET [--split NAME] [--format F] [--classes
 * a,b,c]}. Shared as a picocli mixin so the commands cannot drift apart.
 */
public final class DatasetOptions {
  @Option(
      names = "--data",
      required = true,
      paramLabel = "DATASET",
      description =
          "A Pascal VOC directory (Annotations/, JPEGImages/, ImageSets/Main/<split>.txt,"
              + " classes.txt), a COCO annotations JSON, a CSV file, or a YOLO directory"
              + " (images/, labels/, classes.txt or obj.names).")
  Path data;

  @Option(
      names = "--split",
      paramLabel = "NAME",
      description =
          "VOC image set (ImageSets/Main/NAME.txt) or YOLO split (images/NAME/ or NAME.txt)."
              + " Default: every image (ssd train: the 'train' image set when there is one).")
  String split;

  @Option(
      names = "--format",
      paramLabel = "voc|coco|csv|yolo",
      description = "Dataset format. Default: detected from the path.")
  String format;

  @Option(
      names = "--classes",
      split = ",",
      paramLabel = "a,b,c",
      description = "Class names in order (class id 1 first). Default: the dataset's own list.")
  List<String> classes;

  /** Reads the dataset these options name. */
  Dataset load() {
    return DatasetLoader.load(spec());
  }

  /** Reads the dataset these options name, with the report of its images' label frames. */
  LabelFrames.Result loadWithFrames() {
    return DatasetLoader.loadWithFrames(spec());
  }

  /** The dataset these options name. */
  DatasetSpec spec() {
    DatasetFormat f =
        format == null ? null : DatasetFormat.valueOf(format.trim().toUpperCase(Locale.ROOT));
    return DatasetSpec.builder(data).split(split).format(f).classes(classes).build();
  }
}
