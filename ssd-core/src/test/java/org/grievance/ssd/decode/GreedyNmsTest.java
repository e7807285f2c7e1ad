package org.grievance.ssd.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.box.BoxFormat;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GreedyNmsTest {
  @Test
  @DisplayName("the candidate queue yields score descending, lowest id first on ties, in batches")
  void candidateQueueYieldsScoreDescendingThenLowestId() {
    Random random = new Random(1);
    CandidateQueue queue = new CandidateQueue(1);
    // Sizes below and far above the batch split; coarse scores (many ties, also at the batch cut),
    // continuous ones, and skewed ones (most mass near the bottom, like Dirichlet probabilities).
    for (int n : new int[] {0, 1, 500, 3 * CandidateQueue.BATCH, 6000}) {
      for (int kind = 0; kind < 3; kind++) {
        queue.clear();
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
          double u = random.nextDouble();
          scores[i] = kind == 0 ? random.nextInt(20) / 20.0 : kind == 1 ? u : Math.pow(u, 8);
          queue.add(i, scores[i]);
        }
        Integer[] expected = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(
            expected,
            Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i));
        int[] actual = new int[n];
        int[] sizes = new int[n];
        for (int k = 0; k < n; k++) {
          sizes[k] = queue.size();
          actual[k] = queue.poll();
        }
        assertThat(sizes).containsExactly(IntStream.range(0, n).map(k -> n - k).toArray());
        assertThat(queue.isEmpty()).isTrue();
        assertThat(actual)
            .as("n %d kind %d", n, kind)
            .containsExactly(Arrays.stream(expected).mapToInt(i -> i).toArray());
      }
    }
  }

  @Test
  void iouExactlyAtThresholdIsKept() {
    // Box 1 overlaps box 0 with IoU exactly 0.5: kept (suppression needs IoU > threshold).
    double[] boxes = {0, 0, 10, 10, 0, 0, 10, 20, 0, 0, 10, 19.9};
    int[] kept =
        GreedyNms.select(
            boxes, BoxFormat.CORNERS, new double[] {0.9, 0.8, 0.7}, 0.5, BorderPixels.HALF);
    assertThat(kept).containsExactly(0, 1);
  }

  @Test
  @DisplayName("identical boxes with 'include' are suppressed (reference quirk 1 corrected)")
  void identicalBoxesWithIncludeBorderHaveIouOne() {
    // docs/reference-behaviour.md#quirk-1-iou-border, corrected: with 'include' the reference
    // gives identical 20×20 boxes an IoU of 400/482 ≈ 0.83 and would keep both at threshold 0.9;
    // the corrected IoU is 1.
    double[] boxes = {0, 0, 20, 20, 0, 0, 20, 20};
    int[] kept =
        GreedyNms.select(
            boxes, BoxFormat.CORNERS, new double[] {0.5, 0.6}, 0.9, BorderPixels.INCLUDE);
    assertThat(kept).containsExactly(1);
  }

  @Test
  void offerKeepsAndSuppressesAndResets() {
    GreedyNms nms = new GreedyNms(0.45, BorderPixels.HALF);
    for (int i = 0; i < 40; i++) {
      assertThat(nms.offer(20 * i, 0, 20 * i + 10, 10)).isTrue();
    }
    assertThat(nms.offer(1, 1, 11, 11)).isFalse();
    assertThat(nms.size()).isEqualTo(40);
    nms.reset();
    assertThat(nms.size()).isZero();
    assertThat(nms.offer(1, 1, 11, 11)).isTrue();
  }
}
