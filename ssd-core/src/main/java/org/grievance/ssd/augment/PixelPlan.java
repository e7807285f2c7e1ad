package org.grievance.ssd.augment;

import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.image.RgbImage;

/**
 * A photometric sequence compiled to work on uint8 pixels, for speed. Every run of per-channel
 * float operations starts from uint8 values (the image, or the output of a colour conversion, which
 * always rounds first) and ends in a rounding to uint8 (the next conversion, an explicit {@link
 * ConvertDataType}, or the final conversion back to an {@link RgbImage}). So each such run is a
 * function of one of 256 input values per channel: it is tabulated once per image by evaluating the
 * very same scalar functions the float path applies ({@link Brightness#value} etc.), which makes
 * the result bit-identical to the float path while touching each pixel once per stage.
 */
final class PixelPlan {
  /** A float → float map of one channel value. */
  @FunctionalInterface
  interface ValueMap {
    float map(float v);
  }

  /** Applies to all three channels in {@link #map}. */
  static final int ALL = -1;

  /**
   * Pending output channel {@code c} is {@code maps[c]} applied to input channel {@code src[c]}.
   */
  private int[] src = {0, 1, 2};

  private List<List<ValueMap>> maps =
      List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
  private final List<Stage> stages = new ArrayList<>();

  /** Appends {@code f} to channel {@code channel} (or every channel with {@link #ALL}). */
  void map(int channel, ValueMap f) {
    for (int c = 0; c < 3; c++) {
      if (channel == ALL || channel == c) {
        maps.get(c).add(f);
      }
    }
  }

  /** Output channel {@code c} becomes current channel {@code order[c]} ({@link ChannelSwap}). */
  void permute(int c0, int c1, int c2) {
    int[] order = {c0, c1, c2};
    int[] newSrc = new int[3];
    List<List<ValueMap>> newMaps = new ArrayList<>(3);
    for (int c = 0; c < 3; c++) {
      newSrc[c] = src[order[c]];
      newMaps.add(new ArrayList<>(maps.get(order[c])));
    }
    src = newSrc;
    maps = newMaps;
  }

  /** Rounds to uint8 values (round half to even, wrap), as {@link FloatImage#toUint8}. */
  void quantize() {
    boolean identity = src[0] == 0 && src[1] == 1 && src[2] == 2;
    for (List<ValueMap> m : maps) {
      identity &= m.isEmpty();
    }
    if (identity) {
      return;
    }
    byte[][] luts = new byte[3][256];
    for (int c = 0; c < 3; c++) {
      List<ValueMap> m = maps.get(c);
      for (int v = 0; v < 256; v++) {
        float x = v;
        for (ValueMap f : m) {
          x = f.map(x);
        }
        luts[c][v] = (byte) FloatImage.toUint8(x);
      }
    }
    stages.add(new LutStage(src.clone(), luts[0], luts[1], luts[2]));
    src = new int[] {0, 1, 2};
    maps = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
  }

  /** A colour conversion (which rounds its input to uint8 first). */
  void convert(ConvertColor conversion) {
    quantize();
    stages.add(new ColorStage(conversion));
  }

  /**
   * Runs the plan on {@code image}, ending with the rounding to uint8; returns {@code image} itself
   * when the plan does nothing.
   */
  RgbImage run(RgbImage image) {
    quantize();
    if (stages.isEmpty()) {
      return image;
    }
    byte[] px = image.data().clone();
    for (Stage s : stages) {
      s.run(px);
    }
    return new RgbImage(image.height(), image.width(), px);
  }

  private interface Stage {
    void run(byte[] px);
  }

  private record LutStage(int[] src, byte[] l0, byte[] l1, byte[] l2) implements Stage {
    @Override
    public void run(byte[] px) {
      int s0 = src[0];
      int s1 = src[1];
      int s2 = src[2];
      for (int i = 0; i + 2 < px.length; i += 3) {
        int a = px[i + s0] & 0xFF;
        int b = px[i + s1] & 0xFF;
        int c = px[i + s2] & 0xFF;
        px[i] = l0[a];
        px[i + 1] = l1[b];
        px[i + 2] = l2[c];
      }
    }
  }

  private record ColorStage(ConvertColor conversion) implements Stage {
    @Override
    public void run(byte[] px) {
      conversion.applyUint8(px);
    }
  }
}
