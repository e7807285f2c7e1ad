package org.grievance.ssd.augment;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Runs {@link PixelOp}s as one {@link Transform}: uint8 → float32, the ops in order on one buffer,
 * then uint8 (round half to even). This is the reference's "ConvertTo3Channels,
 * ConvertDataType(float32), …, ConvertDataType(uint8)" bracket; the uint8 round trips inside it are
 * the ops' own ({@link ConvertColor}, {@link ConvertDataType}). Labels and inverter pass through.
 */
public final class Photometric implements Transform {
  private final PixelOp[] ops;

  public Photometric(List<? extends PixelOp> ops) {
    this.ops = ops.toArray(new PixelOp[0]);
  }

  public Photometric(PixelOp... ops) {
    this(List.of(ops));
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    FloatImage img = FloatImage.of(in.image());
    for (PixelOp op : ops) {
      op.apply(img, rng);
    }
    return in.withImage(img.toRgbImage());
  }
}
