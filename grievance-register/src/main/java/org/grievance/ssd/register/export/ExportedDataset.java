package org.grievance.ssd.register.export;

import java.nio.file.Files;
import java.nio.file.Path;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.DatasetLoader;
import org.grievance.ssd.data.DatasetSpec;

/** Loads one split of an export folder, whichever of the two layouts it has. */
public final class ExportedDataset {
  private ExportedDataset() {}

  /**
   * The {@code split} of the export in {@code dir}, read by ssd-core's VOC or COCO reader (images
   * without boxes kept: they count as false-positive traps in an evaluation).
   *
   * @throws IllegalArgumentException when {@code dir} is neither layout or lacks the split
   */
  public static Dataset load(Path dir, Split split) {
    DatasetSpec.Builder spec;
    if (Files.isDirectory(dir.resolve("Annotations"))) {
      Path set = dir.resolve("ImageSets").resolve("Main").resolve(split.fileName() + ".txt");
      if (!Files.isRegularFile(set)) {
        throw new IllegalArgumentException(
            dir + " is a VOC export without a " + split.fileName() + " split (no " + set + ")");
      }
      spec = DatasetSpec.builder(dir).split(split.fileName());
    } else {
      Path file = dir.resolve(split.fileName() + ".json");
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(
            dir
                + " is not an export: neither Annotations/ (VOC) nor "
                + split.fileName()
                + ".json (COCO)");
      }
      spec = DatasetSpec.builder(file);
    }
    return DatasetLoader.load(spec.keepImagesWithoutObjects(true).build());
  }
}
