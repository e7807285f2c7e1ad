package org.grievance.ssd.synth;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a generation run produced. Size buckets follow COCO: small under 32x32 pixels of box area,
 * large over 96x96.
 */
public record SynthSummary(
    Map<SynthSplit, Integer> imagesPerSplit,
    Map<SynthClass, Integer> objectsPerClass,
    int truncated,
    int small,
    int medium,
    int large) {
  public SynthSummary {
    imagesPerSplit = Collections.unmodifiableMap(new EnumMap<>(imagesPerSplit));
    objectsPerClass = Collections.unmodifiableMap(new EnumMap<>(objectsPerClass));
  }

  public int images() {
    return imagesPerSplit.values().stream().mapToInt(Integer::intValue).sum();
  }

  public int objects() {
    return objectsPerClass.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Accumulates per-image counts; not thread-safe. */
  static final class Tally {
    private final EnumMap<SynthSplit, Integer> images = new EnumMap<>(SynthSplit.class);
    private final EnumMap<SynthClass, Integer> perClass = new EnumMap<>(SynthClass.class);
    private int truncated;
    private int small;
    private int medium;
    private int large;

    Tally() {
      for (SynthSplit s : SynthSplit.values()) {
        images.put(s, 0);
      }
      for (SynthClass c : SynthClass.values()) {
        perClass.put(c, 0);
      }
    }

    void add(SynthSplit split, Iterable<SynthObject> objects) {
      images.merge(split, 1, Integer::sum);
      for (SynthObject o : objects) {
        perClass.merge(o.type(), 1, Integer::sum);
        if (o.truncated()) {
          truncated++;
        }
        long area = (long) o.width() * o.height();
        if (area < 32 * 32) {
          small++;
        } else if (area > 96 * 96) {
          large++;
        } else {
          medium++;
        }
      }
    }

    SynthSummary summary() {
      return new SynthSummary(images, perClass, truncated, small, medium, large);
    }
  }
}
