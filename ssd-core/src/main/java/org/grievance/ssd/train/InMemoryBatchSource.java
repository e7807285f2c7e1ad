package org.grievance.ssd.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * A {@link BatchSource} over samples held in memory, for tests and tiny data sets. Each epoch is a
 * permutation of the samples drawn from the epoch seed (or the stored order without shuffling), cut
 * into batches of {@code batchSize}; the last batch may be smaller.
 */
public final class InMemoryBatchSource implements BatchSource {
  /** One encoded image: {@code 3·H·W} pixels, {@code N} class ids, {@code N·4} offsets. */
  public record Sample(float[] image, int[] classIds, float[] offsets) {}

  private final List<Sample> samples;
  private final int batchSize;
  private final boolean shuffle;
  private final int height;
  private final int width;
  private final int anchors;

  /**
   * @throws IllegalArgumentException if there are no samples, the batch size is not positive, or a
   *     sample's arrays do not match the given sizes (naming the sample index)
   */
  public InMemoryBatchSource(
      List<Sample> samples, int batchSize, boolean shuffle, int height, int width, int anchors) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("samples must not be empty");
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
    }
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      if (s.image().length != 3 * height * width
          || s.classIds().length != anchors
          || s.offsets().length != 4 * anchors) {
        throw new IllegalArgumentException(
            String.format(
                "sample %d has array lengths image=%d classIds=%d offsets=%d, expected %d, %d, %d",
                i,
                s.image().length,
                s.classIds().length,
                s.offsets().length,
                3 * height * width,
                anchors,
                4 * anchors));
      }
    }
    this.samples = List.copyOf(samples);
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.height = height;
    this.width = width;
    this.anchors = anchors;
  }

  @Override
  public Iterator<Batch> epoch(long epochSeed) {
    int[] order = new int[samples.size()];
    Arrays.setAll(order, i -> i);
    if (shuffle) {
      Random rnd = new Random(epochSeed);
      for (int i = order.length - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    List<int[]> chunks = new ArrayList<>();
    for (int start = 0; start < order.length; start += batchSize) {
      chunks.add(Arrays.copyOfRange(order, start, Math.min(order.length, start + batchSize)));
    }
    Iterator<int[]> it = chunks.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Batch next() {
        if (!it.hasNext()) {
          throw new NoSuchElementException();
        }
        return assemble(it.next());
      }
    };
  }

  private Batch assemble(int[] indices) {
    int pixels = 3 * height * width;
    float[] images = new float[indices.length * pixels];
    int[] ids = new int[indices.length * anchors];
    float[] offsets = new float[indices.length * anchors * 4];
    for (int k = 0; k < indices.length; k++) {
      Sample s = samples.get(indices[k]);
      System.arraycopy(s.image(), 0, images, k * pixels, pixels);
      System.arraycopy(s.classIds(), 0, ids, k * anchors, anchors);
      System.arraycopy(s.offsets(), 0, offsets, k * anchors * 4, anchors * 4);
    }
    return new Batch(indices.length, height, width, anchors, images, ids, offsets);
  }

  @Override
  public int batchesPerEpoch() {
    return (samples.size() + batchSize - 1) / batchSize;
  }

  @Override
  public int imageHeight() {
    return height;
  }

  @Override
  public int imageWidth() {
    return width;
  }

  @Override
  public int anchorCount() {
    return anchors;
  }
}
