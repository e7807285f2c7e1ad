package org.grievance.ssd.infer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.box.BoxFormat;
import org.grievance.ssd.box.Boxes;
import org.grievance.ssd.decode.DecoderConfig;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.decode.GreedyNms;

/**
 * Merges the passes of a tiled detection (the tiles and the whole image, boxes already in image
 * pixels) into one list, in two steps.
 *
 * <p><b>1. Cut boxes join their whole box.</b> An object that crosses a tile's inner edge is seen
 * by that tile only in part, and the model boxes the visible part. That piece often overlaps the
 * object's whole box (from a neighbouring tile or the full-image pass) by less than the NMS
 * threshold — a third of an object has IoU 0.33 with it — so NMS alone would report the object
 * twice. A detection is therefore <em>cut</em> when its box reaches within {@link #EDGE_MARGIN} of
 * a tile side of an inner edge of its tile (an edge that is not the image's border), and a cut
 * detection is dropped when a larger detection of the same class from another pass, seen through
 * the cut detection's tile (clipped to it), matches it with IoU {@code >=} {@link #VIEW_IOU}: the
 * piece is exactly what the whole box looks like through that tile. The whole box takes the higher
 * of the two scores, since the piece was evidence for the same object.
 *
 * <p>Comparing with the clipped box rather than asking only whether the larger box contains most of
 * the piece (intersection over the smaller area) keeps a large, vague box from swallowing a
 * confident piece that it merely covers: its clipped view would have to line up with the piece on
 * the three uncut sides too.
 *
 * <p><b>2. Class-wise greedy NMS</b> ({@link GreedyNms}) over what is left, with the decoder's IoU
 * threshold and border convention, removes the same object found whole by two overlapping tiles;
 * then the {@code topK} best are kept. Output order: score descending, equal scores by class id and
 * NMS pick order, as the per-class decoder orders them.
 */
public final class TileMerger {
  /**
   * IoU between a cut box and a larger box's view through the cut box's tile above which the cut
   * box is a piece of that larger box: at least half of their union is the same pixels.
   */
  public static final double VIEW_IOU = 0.5;

  /**
   * How close to an inner tile edge, as a fraction of the tile's side, a box must reach to count as
   * cut: predicted boxes of truncated objects rarely end exactly on the edge.
   */
  public static final double EDGE_MARGIN = 0.05;

  private final double iouThreshold;
  private final BorderPixels borderPixels;
  private final int topK;

  /**
   * @param iouThreshold NMS suppresses a box whose IoU with a kept box of its class is greater than
   *     this, in {@code [0, 1]}
   * @param borderPixels border convention of the IoUs
   * @param topK detections kept, best first, {@code >= 1}
   */
  public TileMerger(double iouThreshold, BorderPixels borderPixels, int topK) {
    if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
      throw new IllegalArgumentException("iouThreshold must be in [0, 1], got " + iouThreshold);
    }
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be >= 1, got " + topK);
    }
    this.iouThreshold = iouThreshold;
    this.borderPixels = Objects.requireNonNull(borderPixels, "borderPixels");
    this.topK = topK;
  }

  /** A merger with the decoder's NMS threshold, border convention and top-k. */
  public static TileMerger of(DecoderConfig config) {
    return new TileMerger(config.iouThreshold(), config.borderPixels(), config.topK());
  }

  /**
   * One list of detections for an {@code imageHeight × imageWidth} image from the passes over its
   * tiles and over the whole image.
   */
  public List<Detection> merge(int imageHeight, int imageWidth, List<TileDetections> passes) {
    if (imageHeight < 1 || imageWidth < 1) {
      throw new IllegalArgumentException(
          "image size must be positive, got " + imageHeight + "x" + imageWidth + " (HxW)");
    }
    List<Detection> all = new ArrayList<>();
    List<Integer> passOf = new ArrayList<>();
    for (int p = 0; p < passes.size(); p++) {
      for (Detection d : passes.get(p).detections()) {
        all.add(d);
        passOf.add(p);
      }
    }
    int n = all.size();
    double[] scores = new double[n];
    boolean[] cut = new boolean[n];
    for (int i = 0; i < n; i++) {
      scores[i] = all.get(i).score();
      cut[i] = isCut(all.get(i), passes.get(passOf.get(i)).tile(), imageHeight, imageWidth);
    }
    boolean[] dropped = joinCutBoxes(all, passOf, passes, cut, scores);
    return suppress(all, dropped, scores);
  }

  /** Whether {@code d} reaches within the margin of an edge of {@code tile} inside the image. */
  static boolean isCut(Detection d, Tile tile, int imageHeight, int imageWidth) {
    double mx = EDGE_MARGIN * tile.width();
    double my = EDGE_MARGIN * tile.height();
    return (tile.x() > 0 && d.xmin() <= tile.x() + mx)
        || (tile.y() > 0 && d.ymin() <= tile.y() + my)
        || (tile.right() < imageWidth && d.xmax() >= tile.right() - mx)
        || (tile.bottom() < imageHeight && d.ymax() >= tile.bottom() - my);
  }

  /**
   * Step 1: visits boxes from the largest down, so every candidate whole box has been settled
   * before the pieces it may absorb; returns which detections were absorbed and raises the scores
   * of the boxes that absorbed them.
   */
  private boolean[] joinCutBoxes(
      List<Detection> all,
      List<Integer> passOf,
      List<TileDetections> passes,
      boolean[] cut,
      double[] scores) {
    int n = all.size();
    int delta = borderPixels.delta();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -area(all.get(i))));
    boolean[] dropped = new boolean[n];
    TreeMap<Integer, List<Integer>> keptByClass = new TreeMap<>();
    for (int i : order) {
      Detection d = all.get(i);
      List<Integer> kept = keptByClass.computeIfAbsent(d.classId(), c -> new ArrayList<>());
      if (cut[i]) {
        Tile tile = passes.get(passOf.get(i)).tile();
        int whole = -1;
        double best = VIEW_IOU;
        for (int e : kept) {
          if (passOf.get(e).equals(passOf.get(i))) {
            continue;
          }
          Detection w = all.get(e);
          double vx0 = Math.max(w.xmin(), tile.x());
          double vy0 = Math.max(w.ymin(), tile.y());
          double vx1 = Math.min(w.xmax(), tile.right());
          double vy1 = Math.min(w.ymax(), tile.bottom());
          if (vx1 <= vx0 || vy1 <= vy0) {
            continue;
          }
          double iou =
              Boxes.iouCorners(d.xmin(), d.ymin(), d.xmax(), d.ymax(), vx0, vy0, vx1, vy1, delta);
          if (iou >= best) {
            best = iou;
            whole = e;
          }
        }
        if (whole >= 0) {
          dropped[i] = true;
          scores[whole] = Math.max(scores[whole], scores[i]);
          continue;
        }
      }
      kept.add(i);
    }
    return dropped;
  }

  /** Step 2: class-wise greedy NMS over the detections left, then the best {@code topK}. */
  private List<Detection> suppress(List<Detection> all, boolean[] dropped, double[] scores) {
    TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
    for (int i = 0; i < all.size(); i++) {
      if (!dropped[i]) {
        byClass.computeIfAbsent(all.get(i).classId(), c -> new ArrayList<>()).add(i);
      }
    }
    List<Detection> out = new ArrayList<>();
    for (List<Integer> members : byClass.values()) {
      double[] boxes = new double[4 * members.size()];
      double[] classScores = new double[members.size()];
      for (int k = 0; k < members.size(); k++) {
        Detection d = all.get(members.get(k));
        boxes[4 * k] = d.xmin();
        boxes[4 * k + 1] = d.ymin();
        boxes[4 * k + 2] = d.xmax();
        boxes[4 * k + 3] = d.ymax();
        classScores[k] = scores[members.get(k)];
      }
      int[] keep =
          GreedyNms.select(boxes, BoxFormat.CORNERS, classScores, iouThreshold, borderPixels);
      for (int k : keep) {
        Detection d = all.get(members.get(k));
        out.add(
            new Detection(
                d.classId(),
                d.className(),
                classScores[k],
                d.xmin(),
                d.ymin(),
                d.xmax(),
                d.ymax()));
      }
    }
    out.sort(Comparator.comparingDouble(Detection::score).reversed());
    return List.copyOf(out.subList(0, Math.min(topK, out.size())));
  }

  private static double area(Detection d) {
    return Math.max(0, d.xmax() - d.xmin()) * Math.max(0, d.ymax() - d.ymin());
  }
}
