package org.grievance.ssd.register.workflow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The score at which a detection tags its grievance, per class: the model's per-class thresholds
 * (chosen on validation data by {@code ssd train} or {@code ssd calibrate}) where it has them, and
 * one threshold for the other classes; or, when the operator gives one, that threshold for every
 * class.
 *
 * @param byClass thresholds of their own, by class name, each in {@code [0, 1]}
 * @param others the threshold of every other class, in {@code [0, 1]}
 */
public record TagThresholds(Map<String, Double> byClass, double others) {
  /** The threshold of classes the model has none for, unless the operator gives one. */
  public static final double DEFAULT = 0.5;

  /** Validates and copies; messages name the class. */
  public TagThresholds {
    Map<String, Double> copy = new LinkedHashMap<>();
    byClass.forEach(
        (name, t) -> {
          if (t == null || !(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException(
                "tag threshold of " + name + " must be in [0, 1], got " + t);
          }
          copy.put(name, t);
        });
    byClass = Collections.unmodifiableMap(copy);
    if (!(others >= 0 && others <= 1)) {
      throw new IllegalArgumentException("tag threshold must be in [0, 1], got " + others);
    }
  }

  /** {@code threshold} for every class. */
  public static TagThresholds uniform(double threshold) {
    return new TagThresholds(Map.of(), threshold);
  }

  /**
   * The operator's {@code explicit} threshold for every class when given, else the model's
   * per-class thresholds with {@link #DEFAULT} for the other classes.
   */
  public static TagThresholds of(Double explicit, Map<String, Double> modelThresholds) {
    return explicit != null ? uniform(explicit) : new TagThresholds(modelThresholds, DEFAULT);
  }

  /** The threshold of class {@code className}. */
  public double of(String className) {
    return byClass.getOrDefault(className, others);
  }
}
