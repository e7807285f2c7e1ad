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
    byte[] src = image.data();
    byte[] px = new byte[src.length];
    byte[][][] roundTrip = hsvRoundTrip();
    if (roundTrip != null) {
      ConvertColor.hsvRoundTrip(src, px, roundTrip[0], roundTrip[1], roundTrip[2]);
      return new RgbImage(image.height(), image.width(), px);
    }
    // Block by block, so a block stays in the L1 cache through all stages.
    for (int from = 0; from < px.length; from += BLOCK) {
      int to = Math.min(px.length, from + BLOCK);
      System.arraycopy(src, from, px, from, to - from);
      for (Stage s : stages) {
        s.run(px, from, to);
      }
    }
    return new RgbImage(image.height(), image.width(), px);
  }

  /**
   * The tables {pre, mid, post} when the stages are "tables?, RGB→HSV, tables?, HSV→RGB, tables?"
   * with no channel reordering (the chains' colour step, run fused), else null.
   */
  private byte[][][] hsvRoundTrip() {
    byte[][][] tables = new byte[3][][];
    int part = 0;
    ConvertColor[] expected = {ConvertColor.RGB_TO_HSV, ConvertColor.HSV_TO_RGB};
    for (Stage s : stages) {
      if (s instanceof LutStage l) {
        if (part > 2 || tables[part] != null || l.src[0] != 0 || l.src[1] != 1 || l.src[2] != 2) {
          return null;
        }
        tables[part] = new byte[][] {l.l0, l.l1, l.l2};
      } else if (part < 2 && ((ColorStage) s).conversion == expected[part]) {
        part++;
      } else {
        return null;
      }
    }
    if (part != 2) {
      return null;
    }
    for (int p = 0; p < 3; p++) {
      if (tables[p] == null) {
        tables[p] = new byte[][] {IDENTITY, IDENTITY, IDENTITY};
      }
    }
    return tables;
  }

  private static final byte[] IDENTITY = new byte[256];

  static {
    for (int v = 0; v < 256; v++) {
      IDENTITY[v] = (byte) v;
    }
  }

  /** Bytes per block: 1024 pixels. */
  private static final int BLOCK = 3 * 1024;

  private interface Stage {
    /** Rewrites the pixels in {@code px[from, to)} ({@code from} is a pixel boundary). */
    void run(byte[] px, int from, int to);
  }

  private record LutStage(int[] src, byte[] l0, byte[] l1, byte[] l2) implements Stage {
    @Override
    public void run(byte[] px, int from, int to) {
      int s0 = src[0];
      int s1 = src[1];
      int s2 = src[2];
      for (int i = from; i + 2 < to; i += 3) {
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
    public void run(byte[] px, int from, int to) {
      conversion.applyUint8(px, from, to);
    }
  }
}
