package org.grievance.ssd.data;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads a dataset's annotations with the reader its format calls for. */
public final class DatasetLoader {
  private static final Logger LOG = LoggerFactory.getLogger(DatasetLoader.class);

  private DatasetLoader() {}

  /**
   * Reads the dataset {@code spec} describes (format detected when not given) and logs a summary of
   * the {@link DatasetProblems} found, if any.
   *
   * @throws DatasetException for malformed input, naming file and line/field; also when a split is
   *     given for a COCO or CSV dataset (one file is one split)
   */
  public static Dataset load(DatasetSpec spec) {
    return loadWithFrames(spec).dataset();
  }

  /**
   * As {@link #load}, with the report of which frame the boxes of images carrying an EXIF
   * orientation were taken to be in ({@link LabelFrames}); the dataset's boxes are all in the
   * displayed frame, the one every image is read in.
   */
  public static LabelFrames.Result loadWithFrames(DatasetSpec spec) {
    DatasetFormat format =
        spec.format() != null ? spec.format() : DatasetFormat.detect(spec.path());
    if (format != DatasetFormat.VOC && format != DatasetFormat.YOLO && spec.split() != null) {
      throw DatasetException.in(
          spec.path(),
          "split '"
              + spec.split()
              + "' applies only to VOC and YOLO directories; a "
              + format
              + " file is a single split (leave the split unset)");
    }
    Dataset read =
        switch (format) {
          case VOC -> VocReader.read(spec);
          case COCO -> CocoReader.read(spec);
          case CSV -> CsvReader.read(spec);
          case YOLO -> YoloReader.read(spec);
        };
    LabelFrames.Result framed = LabelFrames.resolve(read, format);
    Dataset dataset = framed.dataset();
    LabelFrames.Report frames = framed.report();
    if (!frames.oriented().isEmpty()) {
      LOG.info(
          "{}: {} image(s) carry an EXIF orientation: {} labelled on the stored pixels (boxes"
              + " turned upright), {} in the displayed frame ({} of them a guess; ssd dataset"
              + " check lists them)",
          dataset.source(),
          frames.oriented().size(),
          frames.count(LabelFrames.Frame.STORED),
          frames.count(LabelFrames.Frame.DISPLAYED),
          frames.doubtful().size());
    }
    // Unknown sizes are normal for CSV datasets: count them quietly, warn about boxes.
    List<DatasetProblems.Problem> problems = DatasetProblems.validate(dataset);
    List<DatasetProblems.Problem> boxProblems =
        problems.stream().filter(p -> !p.isUnknownSize()).toList();
    if (!boxProblems.isEmpty()) {
      LOG.warn(
          "{} box problem(s) (DatasetProblems lists them all), e.g. {}",
          boxProblems.size(),
          boxProblems.get(0));
    }
    if (problems.size() > boxProblems.size()) {
      LOG.info(
          "{}: {} image(s) without a known size",
          dataset.source(),
          problems.size() - boxProblems.size());
    }
    LOG.info(
        "{}: {} images, {} objects, {} classes",
        dataset.source(),
        dataset.size(),
        dataset.objectCount(),
        dataset.classCount());
    return framed;
  }
}
