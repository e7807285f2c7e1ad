package org.grievance.ssd.infer;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.image.BoxPainter;
import org.grievance.ssd.image.RgbImage;

/** Draws detections on their image: the one picture `ssd predict` and the service both return. */
public final class DetectionPainter {
  private DetectionPainter() {}

  /**
   * The image with its detections drawn: class-coloured boxes with "name score" tags, the best
   * detection on top. Boxes with non-finite corners (an untrained network can overflow) are
   * skipped.
   */
  public static BufferedImage annotate(RgbImage image, List<Detection> detections) {
    List<BoxPainter.Box> boxes = new ArrayList<>(detections.size());
    for (int i = detections.size() - 1; i >= 0; i--) {
      Detection d = detections.get(i);
      if (Double.isFinite(d.xmin())
          && Double.isFinite(d.ymin())
          && Double.isFinite(d.xmax())
          && Double.isFinite(d.ymax())) {
        boxes.add(
            new BoxPainter.Box(
                d.classId(),
                d.xmin(),
                d.ymin(),
                d.xmax(),
                d.ymax(),
                BoxPainter.label(d.className(), d.score())));
      }
    }
    BufferedImage canvas = image.toBufferedImage();
    BoxPainter.paint(canvas, boxes);
    return canvas;
  }
}
