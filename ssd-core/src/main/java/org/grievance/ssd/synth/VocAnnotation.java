package org.grievance.ssd.synth;

import java.util.List;
import org.grievance.ssd.io.VocAnnotationXml;

/**
 * The Pascal VOC annotation file of one synthetic image. Boxes use {@link SynthObject}'s
 * convention: 0-based pixel corners with exclusive xmax/ymax.
 */
final class VocAnnotation {
  private VocAnnotation() {}

  static byte[] xml(String folder, String imageId, int width, int height, SynthSample sample) {
    List<VocAnnotationXml.Box> boxes =
        sample.objects().stream()
            .map(
                o ->
                    new VocAnnotationXml.Box(
                        o.type().label(), o.xmin(), o.ymin(), o.xmax(), o.ymax(), o.truncated()))
            .toList();
    return VocAnnotationXml.xml(folder, imageId + ".jpg", "grievance-synth", width, height, boxes);
  }
}
