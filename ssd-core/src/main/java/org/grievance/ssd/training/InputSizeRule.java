package org.grievance.ssd.training;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.Sample;

/**
 * How a new run chooses its model input size: a size given outright, or one read off the training
 * images. A part of the {@link TrainingRecipe}.
 */
public sealed interface InputSizeRule {
  /** The input size of a run on {@code train}. */
  InputSize choose(Dataset train);

  /** Always {@code size}: an architecture's fixed size (SSD300) or the caller's choice. */
  static InputSizeRule fixed(int height, int width) {
    return new Fixed(new InputSize(height, width));
  }

  /**
   * The training images' most common size, scaled down so that the longer side is at most 480 and
   * rounded to multiples of 16 (the SSD7 feature maps then tile the input evenly), at least 64;
   * 300x480 when no image has a known size. What {@code ssd train} uses for SSD7 and the MobileNet
   * models.
   */
  static InputSizeRule fromImages() {
    return new FromImages(480, 16, 64, new InputSize(300, 480));
  }

  /**
   * {@link #fromImages()}, shrunk when a run bounded only by its time budget would otherwise see
   * fewer than 16 epochs: what {@code ssd train} uses for SSD7. On the hard set 30 minutes at 0.8
   * of the side (14 epochs) beat the full size (11 epochs) by 0.016 VOC07 mAP, and 15 minutes by
   * 0.10 (docs/quality-of-defaults.md): below about 15 epochs, more epochs buy more than more
   * pixels. 0.8 is the smallest scale measured, so it is the floor.
   */
  static InputSizeRule fromImagesWithinBudget() {
    return new WithinBudget((FromImages) fromImages(), 16, 0.8);
  }

  /**
   * One size for every dataset.
   *
   * @param size the input size
   */
  record Fixed(InputSize size) implements InputSizeRule {
    /** Validates. */
    public Fixed {
      Objects.requireNonNull(size, "size");
    }

    @Override
    public InputSize choose(Dataset train) {
      return size;
    }
  }

  /**
   * The most common image size of the training set, scaled to fit.
   *
   * @param maxSide the longer side is scaled down to at most this (never up)
   * @param multiple both sides are rounded to a multiple of this
   * @param minSide both sides are at least this
   * @param fallback the size when no training image has a known size
   */
  record FromImages(int maxSide, int multiple, int minSide, InputSize fallback)
      implements InputSizeRule {
    /** Validates every field. */
    public FromImages {
      if (maxSide < 1 || multiple < 1 || minSide < 1) {
        throw new IllegalArgumentException(
            "maxSide, multiple and minSide must be >= 1, got "
                + maxSide
                + ", "
                + multiple
                + ", "
                + minSide);
      }
      Objects.requireNonNull(fallback, "fallback");
    }

    @Override
    public InputSize choose(Dataset train) {
      Map<List<Integer>, Integer> counts = new HashMap<>();
      for (Sample s : train.samples()) {
        if (s.width() > 0 && s.height() > 0) {
          counts.merge(List.of(s.height(), s.width()), 1, Integer::sum);
        }
      }
      if (counts.isEmpty()) {
        return fallback;
      }
      List<Integer> hw =
          counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      double scale = Math.min(1.0, (double) maxSide / Math.max(hw.get(0), hw.get(1)));
      int h = Math.max(minSide, (int) Math.round(hw.get(0) * scale / multiple) * multiple);
      int w = Math.max(minSide, (int) Math.round(hw.get(1) * scale / multiple) * multiple);
      return new InputSize(h, w);
    }
  }

  /**
   * The images' size, and the smaller size a time-bounded run trains at when the full size would
   * give it fewer than {@code targetEpochs} epochs. {@link #choose} gives the full size; {@link
   * TrainingPlan} measures the step rate at that size and calls {@link #fit}.
   *
   * @param base the full size's rule
   * @param targetEpochs the epochs a time-bounded run should see, {@code >= 1}
   * @param minScale the smallest factor on each side, in (0, 1]
   */
  record WithinBudget(FromImages base, int targetEpochs, double minScale) implements InputSizeRule {
    /** Validates every field. */
    public WithinBudget {
      Objects.requireNonNull(base, "base");
      if (targetEpochs < 1) {
        throw new IllegalArgumentException("targetEpochs must be >= 1, got " + targetEpochs);
      }
      if (!(minScale > 0 && minScale <= 1)) {
        throw new IllegalArgumentException("minScale must be in (0, 1], got " + minScale);
      }
    }

    @Override
    public InputSize choose(Dataset train) {
      return base.choose(train);
    }

    /**
     * The size for a run that would see {@code epochsAtFull} epochs at {@code full}: {@code full}
     * when that reaches {@link #targetEpochs}, else both sides scaled by the square root of the
     * shortfall (a step costs about its pixels), at least {@link #minScale}, rounded down to the
     * base's multiple and at least its minimum side.
     */
    public InputSize fit(InputSize full, double epochsAtFull) {
      if (!(epochsAtFull < targetEpochs)) {
        return full;
      }
      double scale = Math.max(minScale, Math.sqrt(Math.max(0, epochsAtFull) / targetEpochs));
      return new InputSize(side(full.height(), scale), side(full.width(), scale));
    }

    private int side(int full, double scale) {
      int m = base.multiple();
      return Math.min(full, Math.max(base.minSide(), (int) Math.floor(full * scale / m) * m));
    }
  }
}
