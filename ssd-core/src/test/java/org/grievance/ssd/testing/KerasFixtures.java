package org.grievance.ssd.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import org.grievance.ssd.io.KerasTensor;

/**
 * The seeded weights of {@code src/test/resources/keras/make_keras_fixtures.py}, rebuilt bit for
 * bit: every value comes from an integer hash of (layer name, tensor index, element index), so the
 * full SSD300 weight set need not be committed. Kernels are in Keras layout {@code (kh, kw, in,
 * out)}.
 */
public final class KerasFixtures {
  private static final long MASK = 0xFFFFFFFFL;

  private KerasFixtures() {}

  /** A fixture file under {@code src/test/resources/keras}. */
  public static Path file(String name) throws IOException {
    try {
      return Path.of(
          Objects.requireNonNull(
                  KerasFixtures.class.getResource("/keras/" + name), "missing fixture " + name)
              .toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
  }

  /** {@code n} values in [0, 1), multiples of 2^-24 (the script's {@code hashed_uniform}). */
  public static double[] hashedUniform(String name, int tensor, int n) {
    long seed = ((name.hashCode() & MASK) * 0x85EBCA77L + tensor * 0xC2B2AE3DL) & MASK;
    double[] u = new double[n];
    for (int i = 0; i < n; i++) {
      long x = (i * 0x9E3779B1L + seed) & MASK;
      x ^= x >>> 16;
      x = (x * 0x7FEB352DL) & MASK;
      x ^= x >>> 15;
      x = (x * 0x846CA68BL) & MASK;
      x ^= x >>> 16;
      u[i] = (x >>> 8) / (double) (1 << 24);
    }
    return u;
  }

  /** He-uniform kernel {@code (kh, kw, in, out)}; conv1_1 scaled by 1/64 as in the script. */
  public static KerasTensor kernel(String layer, int kh, int kw, int in, int out) {
    double bound = Math.sqrt(6.0 / (kh * kw * in));
    if (layer.equals("conv1_1")) {
      bound /= 64.0;
    }
    double[] u = hashedUniform(layer, 0, kh * kw * in * out);
    float[] v = new float[u.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((2.0 * u[i] - 1.0) * bound);
    }
    return new KerasTensor(layer + "/kernel:0", new int[] {kh, kw, in, out}, v);
  }

  public static KerasTensor bias(String layer, int out) {
    double[] u = hashedUniform(layer, 1, out);
    float[] v = new float[out];
    for (int i = 0; i < out; i++) {
      v[i] = (float) ((2.0 * u[i] - 1.0) * 0.05);
    }
    return new KerasTensor(layer + "/bias:0", new int[] {out}, v);
  }

  public static KerasTensor gamma(String layer, int channels) {
    double[] u = hashedUniform(layer, 0, channels);
    float[] v = new float[channels];
    for (int i = 0; i < channels; i++) {
      v[i] = (float) (10.0 + 20.0 * u[i]);
    }
    return new KerasTensor(layer + "/" + layer + "_gamma:0", new int[] {channels}, v);
  }

  /** The script's input image {@code (1, 3, side, side)}, RGB 0..255, NCHW order. */
  public static float[] image(int side) {
    double[] u = hashedUniform("input", 0, 3 * side * side);
    float[] v = new float[u.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (u[i] * 255.0);
    }
    return v;
  }
}
