package org.grievance.ssd.anchor;

import java.util.ArrayList;
import java.util.List;

/**
 * Feature-map sizes of the predictor layers of the three reference architectures for a given input
 * size, derived from each network's padding and stride rules (so the anchor grid can be built
 * without building the network).
 */
public final class PredictorGeometry {
  private PredictorGeometry() {}

  /**
   * SSD7: stride-1 'same' convolutions and six 2x2 max-pools with 'valid' padding (floor halving);
   * the predictors read conv4..conv7, i.e. the input halved 3, 4, 5 and 6 times.
   */
  public static List<FeatureMapSize> ssd7(int height, int width) {
    requireInput(height, width);
    int h = height;
    int w = width;
    List<FeatureMapSize> out = new ArrayList<>();
    for (int pool = 1; pool <= 6; pool++) {
      h = floorHalf(h);
      w = floorHalf(w);
      if (pool >= 3) {
        out.add(size("SSD7", "conv" + (pool + 1), height, width, h, w));
      }
    }
    return List.copyOf(out);
  }

  /**
   * SSD300: three 2x2/2 'same' pools (ceil halving) up to conv4_3, a fourth to fc7 (pool5 is 3x3/1
   * and keeps the size), then conv6_2 and conv7_2 (pad 1, 3x3 stride 2 valid), conv8_2 and conv9_2
   * (3x3 stride 1 valid, minus 2).
   */
  public static List<FeatureMapSize> ssd300(int height, int width) {
    requireInput(height, width);
    int[] hs = vggTrunk(height);
    int[] ws = vggTrunk(width);
    List<FeatureMapSize> out = new ArrayList<>();
    out.add(size("SSD300", "conv4_3", height, width, hs[0], ws[0]));
    out.add(size("SSD300", "fc7", height, width, hs[1], ws[1]));
    int h = hs[1];
    int w = ws[1];
    String[] names = {"conv6_2", "conv7_2"};
    for (String name : names) {
      h = padConvStride2(h);
      w = padConvStride2(w);
      out.add(size("SSD300", name, height, width, h, w));
    }
    for (String name : new String[] {"conv8_2", "conv9_2"}) {
      h -= 2;
      w -= 2;
      out.add(size("SSD300", name, height, width, h, w));
    }
    return List.copyOf(out);
  }

  /**
   * SSD512: as SSD300 up to fc7, then conv6_2..conv9_2 each pad 1 + 3x3 stride 2 valid, and
   * conv10_2 pad 1 + 4x4 stride 1 valid (minus 1).
   */
  public static List<FeatureMapSize> ssd512(int height, int width) {
    requireInput(height, width);
    int[] hs = vggTrunk(height);
    int[] ws = vggTrunk(width);
    List<FeatureMapSize> out = new ArrayList<>();
    out.add(size("SSD512", "conv4_3", height, width, hs[0], ws[0]));
    out.add(size("SSD512", "fc7", height, width, hs[1], ws[1]));
    int h = hs[1];
    int w = ws[1];
    for (String name : new String[] {"conv6_2", "conv7_2", "conv8_2", "conv9_2"}) {
      h = padConvStride2(h);
      w = padConvStride2(w);
      out.add(size("SSD512", name, height, width, h, w));
    }
    out.add(size("SSD512", "conv10_2", height, width, h - 1, w - 1));
    return List.copyOf(out);
  }

  /** conv4_3 and fc7 sizes along one axis: 3 and 4 ceil-halvings. */
  private static int[] vggTrunk(int n) {
    int conv43 = ceilHalf(ceilHalf(ceilHalf(n)));
    return new int[] {conv43, ceilHalf(conv43)};
  }

  private static int floorHalf(int n) {
    return n / 2;
  }

  private static int ceilHalf(int n) {
    return (n + 1) / 2;
  }

  /** Zero padding 1 on each side, then a 3x3 stride-2 valid convolution. */
  private static int padConvStride2(int n) {
    int padded = n + 2;
    return padded < 3 ? 0 : (padded - 3) / 2 + 1;
  }

  private static FeatureMapSize size(
      String model, String layer, int height, int width, int h, int w) {
    if (h < 1 || w < 1) {
      throw new IllegalArgumentException(
          "input "
              + height
              + "x"
              + width
              + " is too small for "
              + model
              + ": layer "
              + layer
              + " would be "
              + h
              + "x"
              + w);
    }
    return new FeatureMapSize(h, w);
  }

  private static void requireInput(int height, int width) {
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "input size must be positive, but is " + height + "x" + width);
    }
  }
}
