package org.grievance.ssd.encode;

/**
 * Training targets of one image: a class id and 4 offsets per anchor.
 *
 * <p>Class ids: 0 background, {@code c > 0} positive of class c, {@link #NEUTRAL} (−1) for anchors
 * the loss ignores. Offsets are exactly 0 for every non-positive anchor.
 */
public final class EncodedTargets {
  /** Class id of a neutral anchor. */
  public static final int NEUTRAL = -1;

  private final int[] classIds;
  private final float[] offsets;
  private final int positives;
  private final int neutrals;

  EncodedTargets(int[] classIds, float[] offsets, int positives, int neutrals) {
    this.classIds = classIds;
    this.offsets = offsets;
    this.positives = positives;
    this.neutrals = neutrals;
  }

  /** Number of anchors N. */
  public int count() {
    return classIds.length;
  }

  /** Class id per anchor (a copy). */
  public int[] classIds() {
    return classIds.clone();
  }

  /** Class id of one anchor. */
  public int classId(int anchor) {
    return classIds[anchor];
  }

  /** 4 encoded offsets per anchor, N·4 values (a copy). */
  public float[] offsets() {
    return offsets.clone();
  }

  /** Offset {@code j} (0..3) of one anchor. */
  public float offset(int anchor, int j) {
    return offsets[4 * anchor + j];
  }

  public int positives() {
    return positives;
  }

  public int neutrals() {
    return neutrals;
  }

  /** Anchors that are neither positive nor neutral. */
  public int backgrounds() {
    return classIds.length - positives - neutrals;
  }
}
