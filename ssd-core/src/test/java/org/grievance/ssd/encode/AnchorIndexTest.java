package org.grievance.ssd.encode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.anchor.AnchorGenerator;
import org.grievance.ssd.anchor.Anchors;
import org.grievance.ssd.anchor.FeatureMapSize;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.box.Boxes;

/** The anchor index against a brute-force IoU over every anchor. */
class AnchorIndexTest {
  private static final Anchors ANCHORS =
      AnchorGenerator.generate(
          AnchorConfig.builder()
              .imageSize(64, 96)
              .predictorSizes(
                  List.of(
                      new FeatureMapSize(8, 12),
                      new FeatureMapSize(4, 6),
                      new FeatureMapSize(1, 1)))
              .minMaxScale(0.1, 0.9)
              .normalizeCoords(false)
              .build());

  @Property(tries = 300)
  void findsEveryOverlapAndKeepsEveryAnchorThatReachesTheBound(
      @ForAll @DoubleRange(min = -20, max = 100) double x0,
      @ForAll @DoubleRange(min = -20, max = 70) double y0,
      @ForAll @DoubleRange(min = 0.5, max = 90) double w,
      @ForAll @DoubleRange(min = 0.5, max = 90) double h,
      @ForAll @DoubleRange(min = 0, max = 1) double minIou,
      @ForAll BorderPixels border) {
    int d = border.delta();
    AnchorIndex index = new AnchorIndex(ANCHORS, d);
    double[] corners = ANCHORS.corners();
    double x1 = x0 + w;
    double y1 = y0 + h;

    SparseIous all = new SparseIous();
    index.overlaps(x0, y0, x1, y1, 0, all);
    Map<Integer, Double> found = new HashMap<>();
    for (int j = 0; j < all.size; j++) {
      assertThat(found.put(all.anchor[j], all.iou[j])).as("anchor listed twice").isNull();
    }
    SparseIous bounded = new SparseIous();
    index.overlaps(x0, y0, x1, y1, minIou, bounded);
    Map<Integer, Double> kept = new HashMap<>();
    for (int j = 0; j < bounded.size; j++) {
      kept.put(bounded.anchor[j], bounded.iou[j]);
    }

    for (int a = 0; a < index.size(); a++) {
      int o = 4 * a;
      double iou =
          Boxes.iouCorners(
              x0, y0, x1, y1, corners[o], corners[o + 1], corners[o + 2], corners[o + 3], d);
      if (iou > 0) {
        assertThat(found).containsEntry(a, iou);
      } else {
        assertThat(found).doesNotContainKey(a);
      }
      if (iou >= minIou && iou > 0) {
        assertThat(kept).containsEntry(a, iou);
      }
    }
    assertThat(found).containsAllEntriesOf(kept);
  }
}
