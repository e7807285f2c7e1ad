package org.grievance.ssd.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.Orientation;
import org.grievance.ssd.image.PhotoMetadata;

/**
 * Decides, image by image, in which frame a dataset's boxes were drawn, and turns the boxes drawn
 * on the stored pixels upright.
 *
 * <p>The toolkit reads every image in its displayed frame (EXIF orientation applied, see {@link
 * ImageFiles#read}). An annotation tool that ignored the orientation tag showed the stored pixels
 * instead, and its boxes lie sideways on the displayed image. The size the annotation declares
 * tells the two apart when the orientation swaps width and height: a declared size equal to the
 * displayed size means displayed-frame labels (kept as they are), one equal to the stored size
 * means stored-frame labels (mapped with {@link Orientation#displayedBox}, and the sample's size
 * becomes the displayed one). Everything else is taken to be in the displayed frame, the convention
 * of current tools, and reported: no declared size (CSV; YOLO's normalised boxes are scaled by the
 * displayed size), an orientation that keeps the size (mirrors, half turn, square images), or a
 * declared size that matches neither.
 *
 * <p>Only the metadata of each image is read, plus the header of the few images that carry an
 * orientation; missing images are left alone (evaluating a results file needs no pixels).
 */
public final class LabelFrames {
  private LabelFrames() {}

  /** The frame a sample's boxes were taken to be drawn in. */
  public enum Frame {
    /** The photo as shown, orientation applied: boxes kept as they are. */
    DISPLAYED,
    /** The pixels as stored: boxes mapped into the displayed frame. */
    STORED
  }

  /** Why a frame was chosen. */
  public enum Reason {
    /** The declared size is the displayed size, which differs from the stored one. */
    DECLARED_DISPLAYED(false, "the declared size is the displayed size"),
    /** The declared size is the stored size, which differs from the displayed one. */
    DECLARED_STORED(false, "the declared size is the stored size"),
    /** The annotations declare no size (CSV, YOLO). */
    NO_DECLARED_SIZE(false, "no size declared; displayed frame assumed"),
    /** Stored and displayed sizes are equal, so the declared size cannot tell them apart. */
    SIZE_CANNOT_TELL(true, "stored and displayed sizes are equal; displayed frame assumed"),
    /** The declared size is neither the stored nor the displayed size. */
    SIZE_MATCHES_NEITHER(true, "the declared size matches neither; displayed frame assumed");

    private final boolean doubtful;
    private final String text;

    Reason(boolean doubtful, String text) {
      this.doubtful = doubtful;
      this.text = text;
    }

    /** Whether a person should look at the image: the frame is a guess. */
    public boolean doubtful() {
      return doubtful;
    }

    /** A short explanation for reports. */
    public String text() {
      return text;
    }
  }

  /**
   * The decision for one image that carries an orientation other than upright.
   *
   * @param imageId the sample's id
   * @param image the image file
   * @param orientation its EXIF orientation
   * @param stored the stored size from the image header
   * @param declaredWidth the width the annotations declare, 0 when none
   * @param declaredHeight the height the annotations declare, 0 when none
   * @param frame the frame its boxes were taken to be in
   * @param reason why
   */
  public record Decision(
      String imageId,
      Path image,
      Orientation orientation,
      ImageFiles.Size stored,
      int declaredWidth,
      int declaredHeight,
      Frame frame,
      Reason reason) {
    /** Validates the references. */
    public Decision {
      Objects.requireNonNull(imageId, "imageId");
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(orientation, "orientation");
      Objects.requireNonNull(stored, "stored");
      Objects.requireNonNull(frame, "frame");
      Objects.requireNonNull(reason, "reason");
    }

    /** One line for a report, with the sizes that led to the decision. */
    @Override
    public String toString() {
      ImageFiles.Size shown = orientation.displayedSize(stored.height(), stored.width());
      String declared =
          declaredWidth > 0 && declaredHeight > 0
              ? ", declared " + declaredWidth + "x" + declaredHeight
              : "";
      return String.format(
          Locale.ROOT,
          "%s: orientation %d (%s), stored %dx%d, displayed %dx%d%s: %s",
          image,
          orientation.exifValue(),
          orientation.name().toLowerCase(Locale.ROOT).replace('_', ' '),
          stored.width(),
          stored.height(),
          shown.width(),
          shown.height(),
          declared,
          reason.text());
    }
  }

  /**
   * What {@link #resolve} found.
   *
   * @param images images of the dataset
   * @param unchecked images whose file is missing or whose header cannot be read (left as they are;
   *     {@link DatasetProblems} reports them when asked to check images)
   * @param oriented one decision per image with an orientation other than upright, in sample order
   */
  public record Report(int images, int unchecked, List<Decision> oriented) {
    /** Copies the list. */
    public Report {
      oriented = List.copyOf(oriented);
    }

    /** Images whose boxes were taken to be in {@code frame}. */
    public long count(Frame frame) {
      return oriented.stream().filter(d -> d.frame() == frame).count();
    }

    /** Images whose boxes were taken to be in the displayed frame for {@code reason}. */
    public long count(Reason reason) {
      return oriented.stream().filter(d -> d.reason() == reason).count();
    }

    /** The decisions a person should look at (the frame is a guess). */
    public List<Decision> doubtful() {
      return oriented.stream().filter(d -> d.reason().doubtful()).toList();
    }

    /**
     * The text block of {@code ssd dataset check}: a summary line per frame, then one line per
     * doubtful image (at most {@code maxLines}, then a count).
     */
    public String render(int maxLines) {
      StringBuilder out = new StringBuilder();
      out.append(
          String.format(
              Locale.ROOT,
              "  %d of %d images carry an EXIF orientation other than upright%s%n",
              oriented.size(),
              images,
              unchecked > 0 ? " (" + unchecked + " image files missing or unreadable)" : ""));
      if (oriented.isEmpty()) {
        return out.toString();
      }
      out.append(
          String.format(
              Locale.ROOT,
              "  labels in the displayed frame, kept: %d (declared size is the displayed size: %d,"
                  + " no size declared: %d, cannot tell: %d, size matches neither: %d)%n",
              count(Frame.DISPLAYED),
              count(Reason.DECLARED_DISPLAYED),
              count(Reason.NO_DECLARED_SIZE),
              count(Reason.SIZE_CANNOT_TELL),
              count(Reason.SIZE_MATCHES_NEITHER)));
      out.append(
          String.format(
              Locale.ROOT,
              "  labels in the stored frame, boxes turned upright: %d (declared size is the stored"
                  + " size)%n",
              count(Frame.STORED)));
      List<Decision> doubtful = doubtful();
      for (int i = 0; i < Math.min(maxLines, doubtful.size()); i++) {
        out.append("  ").append(doubtful.get(i)).append('\n');
      }
      if (doubtful.size() > maxLines) {
        out.append("  ... and ").append(doubtful.size() - maxLines).append(" more\n");
      }
      return out.toString();
    }
  }

  /**
   * The dataset with every sample's boxes in the displayed frame, and the report.
   *
   * @param dataset the dataset whose stored-frame samples are mapped
   * @param report what was decided
   */
  public record Result(Dataset dataset, Report report) {
    /** Validates the references. */
    public Result {
      Objects.requireNonNull(dataset, "dataset");
      Objects.requireNonNull(report, "report");
    }
  }

  /**
   * Reads each image's orientation and maps the samples whose boxes were drawn on the stored
   * pixels.
   *
   * @param format the format the dataset was read from: VOC and COCO declare sizes (VOC boxes are
   *     1-based pixel indices); CSV and YOLO do not
   */
  public static Result resolve(Dataset dataset, DatasetFormat format) {
    boolean declares = format == DatasetFormat.VOC || format == DatasetFormat.COCO;
    int origin = format == DatasetFormat.VOC ? 1 : 0;
    List<Sample> samples = new ArrayList<>(dataset.size());
    List<Decision> decisions = new ArrayList<>();
    int unchecked = 0;
    boolean changed = false;
    for (Sample s : dataset.samples()) {
      Orientation o;
      ImageFiles.Size stored;
      try {
        if (!Files.isRegularFile(s.imagePath())) {
          unchecked++;
          samples.add(s);
          continue;
        }
        o = PhotoMetadata.read(s.imagePath()).orientation();
        if (o == Orientation.NORMAL) {
          samples.add(s);
          continue;
        }
        stored = ImageFiles.readStoredSize(s.imagePath());
      } catch (IOException e) {
        unchecked++;
        samples.add(s);
        continue;
      }
      Decision d = decide(s, o, stored, declares && s.hasSize());
      decisions.add(d);
      if (d.frame() == Frame.STORED) {
        samples.add(toDisplayed(s, o, stored, origin));
        changed = true;
      } else {
        samples.add(s);
      }
    }
    Dataset out = changed ? dataset.withSamples(samples) : dataset;
    return new Result(out, new Report(dataset.size(), unchecked, decisions));
  }

  private static Decision decide(
      Sample s, Orientation o, ImageFiles.Size stored, boolean declaresSize) {
    ImageFiles.Size shown = o.displayedSize(stored.height(), stored.width());
    int dw = declaresSize ? s.width() : 0;
    int dh = declaresSize ? s.height() : 0;
    Frame frame = Frame.DISPLAYED;
    Reason reason;
    if (!declaresSize) {
      reason = Reason.NO_DECLARED_SIZE;
    } else if (stored.equals(shown)) {
      reason = matches(s, shown) ? Reason.SIZE_CANNOT_TELL : Reason.SIZE_MATCHES_NEITHER;
    } else if (matches(s, shown)) {
      reason = Reason.DECLARED_DISPLAYED;
    } else if (matches(s, stored)) {
      reason = Reason.DECLARED_STORED;
      frame = Frame.STORED;
    } else {
      reason = Reason.SIZE_MATCHES_NEITHER;
    }
    return new Decision(s.imageId(), s.imagePath(), o, stored, dw, dh, frame, reason);
  }

  private static boolean matches(Sample s, ImageFiles.Size size) {
    return s.width() == size.width() && s.height() == size.height();
  }

  /** The sample with its boxes and its size in the displayed frame. */
  private static Sample toDisplayed(Sample s, Orientation o, ImageFiles.Size stored, int origin) {
    List<ObjectBox> boxes = new ArrayList<>(s.objects().size());
    for (ObjectBox b : s.objects()) {
      double[] c =
          o.displayedBox(
              b.xmin(),
              b.ymin(),
              b.xmax(),
              b.ymax(),
              stored.height() + origin,
              stored.width() + origin);
      boxes.add(
          new ObjectBox(
              b.classId(),
              c[0],
              c[1],
              c[2],
              c[3],
              b.difficult(),
              b.truncated(),
              b.crowd(),
              b.area()));
    }
    ImageFiles.Size shown = o.displayedSize(stored.height(), stored.width());
    return new Sample(s.imageId(), s.imagePath(), shown.width(), shown.height(), boxes);
  }
}
