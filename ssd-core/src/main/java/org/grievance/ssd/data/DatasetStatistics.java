package org.grievance.ssd.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a dataset holds, to judge it before training: image and object counts, objects per class,
 * box sizes and shapes, image sizes, and the {@link DatasetProblems} found. {@link #render()} gives
 * the aligned text report of {@code ssd dataset check}.
 *
 * @param source the dataset's path
 * @param images number of images
 * @param imagesWithoutObjects images with no (kept) object
 * @param imagesWithUnknownSize images whose annotations give no size
 * @param classes one entry per class, in class-id order
 * @param boxSizes objects per {@code sqrt(box area)} bucket in pixels: {@code <16, 16–32, 32–64,
 *     64–128, 128–256, ≥256}
 * @param cocoAreas objects per COCO area range: small {@code < 32²}, medium {@code < 96²}, large;
 *     by the source's {@code area} where it gives one (COCO: segmentation area), else the box area
 * @param aspectRatios {@code width / height} of the non-degenerate boxes
 * @param imageSizes the image sizes seen, most frequent first (ties by size), unknown ones left out
 * @param problems every problem found, in sample order
 */
public record DatasetStatistics(
    String source,
    int images,
    int imagesWithoutObjects,
    int imagesWithUnknownSize,
    List<ClassStats> classes,
    List<Bucket> boxSizes,
    List<Bucket> cocoAreas,
    AspectSummary aspectRatios,
    List<ImageSize> imageSizes,
    List<DatasetProblems.Problem> problems) {

  /** Bucket edges of {@link #boxSizes()}. */
  private static final double[] SIZE_EDGES = {16, 32, 64, 128, 256};

  /** COCO's small/medium and medium/large area limits, {@code 32²} and {@code 96²}. */
  public static final double COCO_SMALL_AREA = 32 * 32;

  public static final double COCO_MEDIUM_AREA = 96 * 96;

  /** At most this many image sizes are listed by {@link #render()}. */
  static final int RENDERED_IMAGE_SIZES = 10;

  public DatasetStatistics {
    Objects.requireNonNull(source, "source");
    classes = List.copyOf(classes);
    boxSizes = List.copyOf(boxSizes);
    cocoAreas = List.copyOf(cocoAreas);
    Objects.requireNonNull(aspectRatios, "aspectRatios");
    imageSizes = List.copyOf(imageSizes);
    problems = List.copyOf(problems);
  }

  /**
   * Objects of one class.
   *
   * @param images number of images holding at least one object of the class
   */
  public record ClassStats(
      int classId, String name, int objects, int images, int difficult, int truncated, int crowd) {}

  /** Objects whose measure lies in {@code [from, to)}. */
  public record Bucket(String label, double from, double to, int count) {}

  /**
   * Distribution of box aspect ratios {@code width / height}; all NaN when {@code count == 0}.
   * Percentiles by nearest rank.
   */
  public record AspectSummary(
      int count, double min, double p05, double median, double p95, double max) {}

  /** {@code count} images of {@code width x height} pixels. */
  public record ImageSize(int width, int height, int count) {}

  /** Statistics of {@code dataset} with the problems {@link DatasetProblems#validate(Dataset)}. */
  public static DatasetStatistics of(Dataset dataset) {
    return of(dataset, DatasetProblems.validate(dataset));
  }

  /**
   * Statistics of {@code dataset} with problems found elsewhere (for example with image checks).
   */
  public static DatasetStatistics of(Dataset dataset, List<DatasetProblems.Problem> problems) {
    int nc = dataset.classCount();
    int[] objects = new int[nc + 1];
    int[] imagesOf = new int[nc + 1];
    int[] difficult = new int[nc + 1];
    int[] truncated = new int[nc + 1];
    int[] crowd = new int[nc + 1];
    int[] sizeCounts = new int[SIZE_EDGES.length + 1];
    int[] cocoCounts = new int[3];
    double[] ratios = new double[dataset.objectCount()];
    int nRatios = 0;
    int withoutObjects = 0;
    int unknownSize = 0;
    Map<Long, Integer> sizes = new HashMap<>();
    for (Sample s : dataset.samples()) {
      if (s.objects().isEmpty()) {
        withoutObjects++;
      }
      if (s.hasSize()) {
        sizes.merge(((long) s.width() << 32) | s.height(), 1, Integer::sum);
      } else {
        unknownSize++;
      }
      boolean[] seen = new boolean[nc + 1];
      for (ObjectBox b : s.objects()) {
        int c = b.classId();
        objects[c]++;
        if (!seen[c]) {
          seen[c] = true;
          imagesOf[c]++;
        }
        difficult[c] += b.difficult() ? 1 : 0;
        truncated[c] += b.truncated() ? 1 : 0;
        crowd[c] += b.crowd() ? 1 : 0;
        double boxArea = Math.max(0, b.width()) * Math.max(0, b.height());
        sizeCounts[bucketOf(Math.sqrt(boxArea))]++;
        double area = Double.isNaN(b.area()) ? boxArea : b.area();
        cocoCounts[area < COCO_SMALL_AREA ? 0 : area < COCO_MEDIUM_AREA ? 1 : 2]++;
        if (!b.isDegenerate()) {
          ratios[nRatios++] = b.width() / b.height();
        }
      }
    }
    List<ClassStats> classes = new ArrayList<>(nc);
    for (int c = 1; c <= nc; c++) {
      classes.add(
          new ClassStats(
              c,
              dataset.className(c),
              objects[c],
              imagesOf[c],
              difficult[c],
              truncated[c],
              crowd[c]));
    }
    List<Bucket> boxSizes = new ArrayList<>();
    for (int i = 0; i <= SIZE_EDGES.length; i++) {
      double from = i == 0 ? 0 : SIZE_EDGES[i - 1];
      double to = i == SIZE_EDGES.length ? Double.POSITIVE_INFINITY : SIZE_EDGES[i];
      String label =
          i == 0
              ? "<" + (int) to
              : i == SIZE_EDGES.length ? ">=" + (int) from : (int) from + "-" + (int) to;
      boxSizes.add(new Bucket(label, from, to, sizeCounts[i]));
    }
    List<Bucket> coco =
        List.of(
            new Bucket("small (<32^2)", 0, COCO_SMALL_AREA, cocoCounts[0]),
            new Bucket("medium (32^2-96^2)", COCO_SMALL_AREA, COCO_MEDIUM_AREA, cocoCounts[1]),
            new Bucket(
                "large (>=96^2)", COCO_MEDIUM_AREA, Double.POSITIVE_INFINITY, cocoCounts[2]));
    List<ImageSize> imageSizes = new ArrayList<>();
    for (Map.Entry<Long, Integer> e : sizes.entrySet()) {
      long k = e.getKey();
      imageSizes.add(new ImageSize((int) (k >>> 32), (int) k, e.getValue()));
    }
    imageSizes.sort(
        Comparator.comparingInt(ImageSize::count)
            .reversed()
            .thenComparingInt(ImageSize::width)
            .thenComparingInt(ImageSize::height));
    return new DatasetStatistics(
        dataset.source(),
        dataset.size(),
        withoutObjects,
        unknownSize,
        classes,
        boxSizes,
        coco,
        aspect(Arrays.copyOf(ratios, nRatios)),
        imageSizes,
        problems);
  }

  /** Total number of objects. */
  public int objects() {
    int n = 0;
    for (ClassStats c : classes) {
      n += c.objects();
    }
    return n;
  }

  /** Problems other than {@linkplain DatasetProblems.Problem#isUnknownSize() unknown sizes}. */
  public List<DatasetProblems.Problem> defects() {
    return problems.stream().filter(p -> !p.isUnknownSize()).toList();
  }

  /** The aligned text report (without the problem list itself, only its count per field). */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("dataset ").append(source).append('\n');
    out.append(
        String.format(
            Locale.ROOT,
            "%d images (%d without objects, %d of unknown size), %d objects, %d classes%n",
            images,
            imagesWithoutObjects,
            imagesWithUnknownSize,
            objects(),
            classes.size()));

    out.append("\nobjects per class\n");
    TextTable t =
        new TextTable("class", "id", "objects", "images", "difficult", "truncated", "crowd");
    int[] total = new int[5];
    for (ClassStats c : classes) {
      t.row(
          c.name(), c.classId(), c.objects(), c.images(), c.difficult(), c.truncated(), c.crowd());
      total[0] += c.objects();
      total[2] += c.difficult();
      total[3] += c.truncated();
      total[4] += c.crowd();
    }
    t.row("total", "", total[0], images - imagesWithoutObjects, total[2], total[3], total[4]);
    t.appendTo(out, "  ");

    out.append("\nbox size, sqrt(area) in pixels\n");
    appendBuckets(out, boxSizes);
    out.append("\nCOCO area ranges\n");
    appendBuckets(out, cocoAreas);

    out.append("\naspect ratio (width / height)\n");
    AspectSummary a = aspectRatios;
    if (a.count() == 0) {
      out.append("  no boxes with a positive extent\n");
    } else {
      new TextTable("", "boxes", "min", "p5", "median", "p95", "max")
          .row("w/h", a.count(), f(a.min()), f(a.p05()), f(a.median()), f(a.p95()), f(a.max()))
          .appendTo(out, "  ");
    }

    out.append("\nimage sizes\n");
    TextTable sizes = new TextTable("width x height", "images");
    for (int i = 0; i < Math.min(RENDERED_IMAGE_SIZES, imageSizes.size()); i++) {
      ImageSize s = imageSizes.get(i);
      sizes.row(s.width() + "x" + s.height(), s.count());
    }
    if (imageSizes.size() > RENDERED_IMAGE_SIZES) {
      int rest = 0;
      for (ImageSize s : imageSizes.subList(RENDERED_IMAGE_SIZES, imageSizes.size())) {
        rest += s.count();
      }
      sizes.row((imageSizes.size() - RENDERED_IMAGE_SIZES) + " other sizes", rest);
    }
    if (imagesWithUnknownSize > 0) {
      sizes.row("unknown", imagesWithUnknownSize);
    }
    sizes.appendTo(out, "  ");

    out.append("\nproblems\n");
    if (problems.isEmpty()) {
      out.append("  none\n");
    } else {
      Map<String, Integer> byField = new LinkedHashMap<>();
      for (DatasetProblems.Problem p : problems) {
        byField.merge(p.field(), 1, Integer::sum);
      }
      TextTable pt = new TextTable("field", "count");
      byField.forEach(pt::row);
      pt.row("total", problems.size());
      pt.appendTo(out, "  ");
    }
    return out.toString();
  }

  private void appendBuckets(StringBuilder out, List<Bucket> buckets) {
    int n = objects();
    TextTable t = new TextTable("range", "objects", "share");
    for (Bucket b : buckets) {
      t.row(
          b.label(),
          b.count(),
          n == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * b.count() / n));
    }
    t.appendTo(out, "  ");
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static int bucketOf(double side) {
    int i = 0;
    while (i < SIZE_EDGES.length && side >= SIZE_EDGES[i]) {
      i++;
    }
    return i;
  }

  private static AspectSummary aspect(double[] r) {
    if (r.length == 0) {
      return new AspectSummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    Arrays.sort(r);
    return new AspectSummary(
        r.length, r[0], rank(r, 0.05), rank(r, 0.5), rank(r, 0.95), r[r.length - 1]);
  }

  /** Nearest-rank percentile of sorted {@code r}: the smallest value with share {@code >= q}. */
  private static double rank(double[] r, double q) {
    int k = (int) Math.ceil(q * r.length);
    return r[Math.max(0, k - 1)];
  }
}
