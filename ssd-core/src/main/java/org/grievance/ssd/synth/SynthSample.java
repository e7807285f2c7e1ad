package org.grievance.ssd.synth;

import java.util.List;
import org.grievance.ssd.image.RgbImage;

/** One rendered synthetic image and its labelled objects, in drawing order. */
public record SynthSample(RgbImage image, List<SynthObject> objects) {
  public SynthSample {
    objects = List.copyOf(objects);
  }
}
