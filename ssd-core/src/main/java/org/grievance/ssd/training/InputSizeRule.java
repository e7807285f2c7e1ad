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
}
