package org.grievance.ssd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * What the model does to its RGB 0–255 input before the base network, in the reference's order
 * (docs/reference-behaviour.md#input-preprocessing): subtract the mean, divide by the standard
 * deviation, then re-order the channels. The order matters: SSD300 subtracts an RGB mean and only
 * then swaps to BGR.
 *
 * <p>Mean and deviation hold one value for all channels or one per input channel (in input order);
 * {@code swapChannels} lists, for each output channel, the input channel it takes. Absent steps are
 * {@code null}. Arrays are copied in and out, so instances are immutable.
 */
public final class InputPreprocessing {
  /** Channels of the images every model here consumes. */
  public static final int CHANNELS = 3;

  private static final InputPreprocessing NONE = new InputPreprocessing(null, null, null);

  private final float[] subtractMean;
  private final float[] divideByStddev;
  private final int[] swapChannels;

  private InputPreprocessing(float[] subtractMean, float[] divideByStddev, int[] swapChannels) {
    this.subtractMean = checkedPerChannel("subtractMean", subtractMean, false);
    this.divideByStddev = checkedPerChannel("divideByStddev", divideByStddev, true);
    this.swapChannels = checkedPermutation(swapChannels);
  }

  /** The identity: the network sees the raw input (SSD7's reference default). */
  public static InputPreprocessing none() {
    return NONE;
  }

  /** Each argument may be {@code null} to skip that step. */
  public static InputPreprocessing of(
      float[] subtractMean, float[] divideByStddev, int[] swapChannels) {
    return new InputPreprocessing(subtractMean, divideByStddev, swapChannels);
  }

  /** Same as this with the mean step replaced ({@code null} removes it). */
  public InputPreprocessing withSubtractMean(float... mean) {
    return new InputPreprocessing(mean, divideByStddev, swapChannels);
  }

  /** Same as this with the deviation step replaced ({@code null} removes it). */
  public InputPreprocessing withDivideByStddev(float... stddev) {
    return new InputPreprocessing(subtractMean, stddev, swapChannels);
  }

  /** Same as this with the channel order replaced ({@code null} removes it). */
  public InputPreprocessing withSwapChannels(int... order) {
    return new InputPreprocessing(subtractMean, divideByStddev, order);
  }

  public float[] subtractMean() {
    return subtractMean == null ? null : subtractMean.clone();
  }

  public float[] divideByStddev() {
    return divideByStddev == null ? null : divideByStddev.clone();
  }

  public int[] swapChannels() {
    return swapChannels == null ? null : swapChannels.clone();
  }

  /** True when {@link #apply} returns its input unchanged. */
  public boolean isIdentity() {
    return subtractMean == null && divideByStddev == null && swapChannels == null;
  }

  /**
   * Applies the steps to a {@code (B, 3, H, W)} batch. Results live in the batch's manager; the
   * input itself is returned when there is nothing to do.
   */
  public NDArray apply(NDArray batch) {
    Shape shape = batch.getShape();
    if (shape.dimension() != 4 || shape.get(1) != CHANNELS) {
      throw new IllegalArgumentException(
          "input batch must be (batch, " + CHANNELS + ", height, width), got " + shape);
    }
    NDArray x = batch;
    if (subtractMean != null) {
      x = x.sub(perChannel(batch, subtractMean));
    }
    if (divideByStddev != null) {
      x = x.div(perChannel(batch, divideByStddev));
    }
    if (swapChannels != null) {
      NDList picked = new NDList(CHANNELS);
      for (int channel : swapChannels) {
        picked.add(x.get(":, {}:{}", channel, channel + 1));
      }
      x = NDArrays.concat(picked, 1);
    }
    return x;
  }

  private static NDArray perChannel(NDArray batch, float[] values) {
    return batch
        .getManager()
        .create(values, new Shape(1, values.length, 1, 1))
        .toType(batch.getDataType(), false);
  }

  private static float[] checkedPerChannel(String field, float[] values, boolean divisor) {
    if (values == null) {
      return null;
    }
    if (values.length != 1 && values.length != CHANNELS) {
      throw new IllegalArgumentException(
          field
              + " must hold 1 or "
              + CHANNELS
              + " values, got "
              + values.length
              + ": "
              + Arrays.toString(values));
    }
    for (int i = 0; i < values.length; i++) {
      float v = values[i];
      if (!Float.isFinite(v) || (divisor && v == 0f)) {
        throw new IllegalArgumentException(
            field + "[" + i + "] must be finite" + (divisor ? " and non-zero" : "") + ", got " + v);
      }
    }
    return values.clone();
  }

  private static int[] checkedPermutation(int[] order) {
    if (order == null) {
      return null;
    }
    boolean[] seen = new boolean[CHANNELS];
    boolean valid = order.length == CHANNELS;
    for (int i = 0; valid && i < order.length; i++) {
      valid = order[i] >= 0 && order[i] < CHANNELS && !seen[order[i]];
      if (valid) {
        seen[order[i]] = true;
      }
    }
    if (!valid) {
      throw new IllegalArgumentException(
          "swapChannels must be a permutation of 0.."
              + (CHANNELS - 1)
              + ", got "
              + Arrays.toString(order));
    }
    return order.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputPreprocessing p
        && Arrays.equals(subtractMean, p.subtractMean)
        && Arrays.equals(divideByStddev, p.divideByStddev)
        && Arrays.equals(swapChannels, p.swapChannels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(subtractMean) + Arrays.hashCode(divideByStddev))
        + Arrays.hashCode(swapChannels);
  }

  @Override
  public String toString() {
    return "InputPreprocessing[subtractMean="
        + Arrays.toString(subtractMean)
        + ", divideByStddev="
        + Arrays.toString(divideByStddev)
        + ", swapChannels="
        + Arrays.toString(swapChannels)
        + "]";
  }
}
