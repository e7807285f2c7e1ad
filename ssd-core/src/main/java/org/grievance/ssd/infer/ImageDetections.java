package org.grievance.ssd.infer;

import java.util.List;
import java.util.Objects;
import org.grievance.ssd.decode.Detection;

/**
 * The detections of one image, one document of the detection JSON ({@link DetectionWriter}).
 *
 * @param image the image's path as the user named or found it; null for an image without a name (an
 *     upload to the service)
 * @param width the image's width in pixels
 * @param height the image's height in pixels
 * @param detections best first, boxes in the image's pixels
 */
public record ImageDetections(String image, int width, int height, List<Detection> detections) {
  public ImageDetections {
    String name = image == null ? "(unnamed image)" : "image " + image;
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(
          name + ": size must be positive, got " + width + "x" + height + " (WxH)");
    }
    detections = List.copyOf(Objects.requireNonNull(detections, "detections of " + name));
  }
}
