package org.grievance.ssd.augment;

import java.util.List;
import java.util.random.RandomGenerator;
import org.grievance.ssd.image.RgbImage;

/**
 * Runs {@link PixelOp}s as one {@link Transform}: uint8 → float32, the ops in order on one buffer,
 * then uint8 (round half to even). This is the reference's "ConvertTo3Channels,
 * ConvertDataType(float32), …, ConvertDataType(uint8)" bracket; the uint8 round trips inside it are
 * the ops' own ({@link ConvertColor}, {@link ConvertDataType}). Labels and inverter pass through.
 *
 * <p>When every op is one of this package's own, the sequence runs on uint8 pixels through lookup
 * tables ({@link PixelPlan}) instead, with identical results, an order of magnitude faster, and not
 * at all when no op fires.
 */
public final class Photometric implements Transform {
  private final PixelOp[] ops;
  private final boolean tabulated;

  public Photometric(List<? extends PixelOp> ops) {
    this.ops = ops.toArray(new PixelOp[0]);
    boolean all = true;
    for (PixelOp op : this.ops) {
      all &= op instanceof TabulatedPixelOp;
    }
    this.tabulated = all;
  }

  public Photometric(PixelOp... ops) {
    this(List.of(ops));
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    if (tabulated) {
      PixelPlan plan = new PixelPlan();
      for (PixelOp op : ops) {
        ((TabulatedPixelOp) op).plan(plan, rng);
      }
      RgbImage out = plan.run(in.image());
      return out == in.image() ? in : in.withImage(out);
    }
    return in.withImage(applyFloat(in.image(), rng));
  }

  /** The defining float path, op by op; used for ops from outside this package. */
  RgbImage applyFloat(RgbImage image, RandomGenerator rng) {
    FloatImage img = FloatImage.of(image);
    for (PixelOp op : ops) {
      op.apply(img, rng);
    }
    return img.toRgbImage();
  }
}
