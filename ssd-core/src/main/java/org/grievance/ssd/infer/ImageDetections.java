package org.grievance.ssd.infer;

import java.util.List;
import java.util.Objects;
import org.grievance.ssd.decode.Detection;

/**
 * The detections of one image, as the predict JSON lists them.
 *
 * @param image the image's path as the user named or found it
 * @param width the image's width in pixels
 * @param height the image's height in pixels
 * @param detections best first, boxes in the image's pixels
 */
public record ImageDetections(String image, int width, int height, List<Detection> detections) {
  public ImageDetections {
    Objects.requireNonNull(image, "image");
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(
          "image " + image + ": size must be positive, got " + width + "x" + height + " (WxH)");
    }
    detections = List.copyOf(Objects.requireNonNull(detections, "detections of " + image));
  }
}
