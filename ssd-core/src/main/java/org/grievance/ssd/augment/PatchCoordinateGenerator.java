package org.grievance.ssd.augment;

import java.util.Locale;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Draws patch coordinates (the reference's {@code PatchCoordinateGenerator}).
 *
 * <ul>
 *   <li>{@code H_W}: {@code h = int(U(minScale, maxScale)·H)} and {@code w = int(U(…)·W)}
 *       independently, or with one shared factor if {@code scaleUniformly};
 *   <li>{@code H_AR}: h as above, {@code ar ~ U(minAspectRatio, maxAspectRatio)}, {@code w =
 *       int(h·ar)};
 *   <li>{@code W_AR}: w as above, {@code h = int(w/ar)}.
 * </ul>
 *
 * Fixed values ({@code patchHeight}, {@code patchWidth}, {@code patchAspectRatio}, {@code
 * patchYmin}, {@code patchXmin}; null = random) override draws. Position: {@code ymin} uniform in
 * {@code [0, H−h]}, or in {@code [H−h, 0]} when the patch is larger than the image; same for x.
 *
 * <p>Deviation: a size that truncates to 0 becomes 1 (the reference would build an empty image and
 * fail later).
 */
public record PatchCoordinateGenerator(
    MustMatch mustMatch,
    double minScale,
    double maxScale,
    boolean scaleUniformly,
    double minAspectRatio,
    double maxAspectRatio,
    Integer patchYmin,
    Integer patchXmin,
    Integer patchHeight,
    Integer patchWidth,
    Double patchAspectRatio) {

  /** Which two of height, width and aspect ratio are drawn; the third follows. */
  public enum MustMatch {
    H_W,
    H_AR,
    W_AR;

    public static MustMatch parse(String name) {
      for (MustMatch m : values()) {
        if (m.name().toLowerCase(Locale.ROOT).equals(name)) {
          return m;
        }
      }
      throw new IllegalArgumentException(
          "unknown must_match '" + name + "': expected h_w, h_ar or w_ar");
    }
  }

  public PatchCoordinateGenerator {
    Objects.requireNonNull(mustMatch, "mustMatch");
    if (!(minScale >= 0 && minScale < maxScale)) {
      throw new IllegalArgumentException(
          "need 0 <= minScale < maxScale, got minScale=" + minScale + " maxScale=" + maxScale);
    }
    if (!(minAspectRatio > 0 && minAspectRatio < maxAspectRatio)) {
      throw new IllegalArgumentException(
          "need 0 < minAspectRatio < maxAspectRatio, got "
              + minAspectRatio
              + " and "
              + maxAspectRatio);
    }
    if (scaleUniformly && (patchHeight != null || patchWidth != null)) {
      throw new IllegalArgumentException(
          "scaleUniformly cannot be combined with a fixed patchHeight or patchWidth");
    }
    if (patchHeight != null && patchHeight <= 0) {
      throw new IllegalArgumentException("patchHeight must be positive, got " + patchHeight);
    }
    if (patchWidth != null && patchWidth <= 0) {
      throw new IllegalArgumentException("patchWidth must be positive, got " + patchWidth);
    }
    if (patchAspectRatio != null && !(patchAspectRatio > 0)) {
      throw new IllegalArgumentException(
          "patchAspectRatio must be positive, got " + patchAspectRatio);
    }
  }

  /** Builder starting from the reference defaults ({@code h_w}, scale 0.3–1, ratio 0.5–2). */
  public static Builder builder() {
    return new Builder();
  }

  public PatchCoords generate(int imageHeight, int imageWidth, RandomGenerator rng) {
    int h;
    int w;
    double shared = scaleUniformly ? Randoms.uniform(rng, minScale, maxScale) : Double.NaN;
    switch (mustMatch) {
      case H_W -> {
        h = size(patchHeight, shared, imageHeight, rng);
        w = size(patchWidth, shared, imageWidth, rng);
      }
      case H_AR -> {
        h = size(patchHeight, shared, imageHeight, rng);
        w = Math.max(1, (int) (h * ratio(rng)));
      }
      default -> {
        w = size(patchWidth, shared, imageWidth, rng);
        h = Math.max(1, (int) (w / ratio(rng)));
      }
    }
    int ymin = patchYmin != null ? patchYmin : position(imageHeight - h, rng);
    int xmin = patchXmin != null ? patchXmin : position(imageWidth - w, rng);
    return new PatchCoords(ymin, xmin, h, w);
  }

  private int size(Integer fixed, double shared, int imageSize, RandomGenerator rng) {
    if (fixed != null) {
      return fixed;
    }
    double f = Double.isNaN(shared) ? Randoms.uniform(rng, minScale, maxScale) : shared;
    return Math.max(1, (int) (f * imageSize));
  }

  private double ratio(RandomGenerator rng) {
    return patchAspectRatio != null
        ? patchAspectRatio
        : Randoms.uniform(rng, minAspectRatio, maxAspectRatio);
  }

  private static int position(int range, RandomGenerator rng) {
    return range >= 0 ? Randoms.intInclusive(rng, 0, range) : Randoms.intInclusive(rng, range, 0);
  }

  /** Builder; every field defaults as in the reference. */
  public static final class Builder {
    private MustMatch mustMatch = MustMatch.H_W;
    private double minScale = 0.3;
    private double maxScale = 1.0;
    private boolean scaleUniformly;
    private double minAspectRatio = 0.5;
    private double maxAspectRatio = 2.0;
    private Integer patchYmin;
    private Integer patchXmin;
    private Integer patchHeight;
    private Integer patchWidth;
    private Double patchAspectRatio;

    private Builder() {}

    public Builder mustMatch(MustMatch v) {
      mustMatch = v;
      return this;
    }

    public Builder scale(double min, double max) {
      minScale = min;
      maxScale = max;
      return this;
    }

    public Builder scaleUniformly(boolean v) {
      scaleUniformly = v;
      return this;
    }

    public Builder aspectRatio(double min, double max) {
      minAspectRatio = min;
      maxAspectRatio = max;
      return this;
    }

    public Builder patchYmin(Integer v) {
      patchYmin = v;
      return this;
    }

    public Builder patchXmin(Integer v) {
      patchXmin = v;
      return this;
    }

    public Builder patchHeight(Integer v) {
      patchHeight = v;
      return this;
    }

    public Builder patchWidth(Integer v) {
      patchWidth = v;
      return this;
    }

    public Builder patchAspectRatio(Double v) {
      patchAspectRatio = v;
      return this;
    }

    public PatchCoordinateGenerator build() {
      return new PatchCoordinateGenerator(
          mustMatch,
          minScale,
          maxScale,
          scaleUniformly,
          minAspectRatio,
          maxAspectRatio,
          patchYmin,
          patchXmin,
          patchHeight,
          patchWidth,
          patchAspectRatio);
    }
  }
}
