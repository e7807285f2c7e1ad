package org.grievance.ssd.train;

/**
 * One encoded training batch as the loader delivers it. The arrays are handed over, not copied (a
 * batch is large and used once), and only for a while: a source may recycle them once the consumer
 * requests the next batch (see {@link BatchSource}). A consumer that keeps anything beyond that
 * must copy it. {@link Trainer} copies the arrays into NDArrays and finishes the step before it
 * asks for the next batch.
 *
 * @param size number of images {@code B}
 * @param imageHeight {@code H}
 * @param imageWidth {@code W}
 * @param anchorCount anchors per image {@code N}
 * @param images {@code B·3·H·W} floats, NCHW, RGB in 0–255 (the model normalises)
 * @param classIds {@code B·N} target class ids: 0 background, {@code c > 0} object, -1 neutral
 * @param offsets {@code B·N·4} encoded target box offsets
 */
public record Batch(
    int size,
    int imageHeight,
    int imageWidth,
    int anchorCount,
    float[] images,
    int[] classIds,
    float[] offsets) {

  /** Checks every dimension and array length. */
  public Batch {
    positive("size", size);
    positive("imageHeight", imageHeight);
    positive("imageWidth", imageWidth);
    positive("anchorCount", anchorCount);
    length("images", images, (long) size * 3 * imageHeight * imageWidth);
    length("classIds", classIds == null ? -1 : classIds.length, (long) size * anchorCount);
    length("offsets", offsets == null ? -1 : offsets.length, (long) size * anchorCount * 4);
  }

  private static void positive(String field, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("Batch." + field + " must be > 0, got " + value);
    }
  }

  private static void length(String field, float[] array, long expected) {
    length(field, array == null ? -1 : array.length, expected);
  }

  private static void length(String field, int actual, long expected) {
    if (actual < 0) {
      throw new IllegalArgumentException("Batch." + field + " must not be null");
    }
    if (actual != expected) {
      throw new IllegalArgumentException(
          "Batch." + field + " has length " + actual + ", expected " + expected);
    }
  }
}
