package org.grievance.ssd.register;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.register.api.Annotations;
import org.grievance.ssd.register.api.LabelledBox;
import org.grievance.ssd.register.api.PixelBox;
import org.grievance.ssd.register.store.StoredAnnotation;
import org.grievance.ssd.register.store.StoredGrievance;
import org.grievance.ssd.register.workflow.StoredDetections;
import org.grievance.ssd.register.workflow.TagThresholds;

/**
 * The officials' view of a photo's boxes: the saved annotation, or, before any official saved one,
 * the detector's proposal: the detections that tagged the grievance (score at or above their
 * class's tag threshold), clipped to the photo, since a detector's box may reach past the edge and
 * an editor can only show, and the API only accepts, boxes inside it. Saving the proposal unchanged
 * is therefore always valid.
 */
final class AnnotationViews {
  private static final TypeReference<List<LabelledBox>> BOXES = new TypeReference<>() {};

  private AnnotationViews() {}

  static Annotations of(
      StoredGrievance g, Optional<StoredAnnotation> saved, TagThresholds thresholds) {
    if (saved.isEmpty()) {
      return new Annotations(
          g.trackingId(),
          Annotations.DETECTOR,
          false,
          g.imageWidth(),
          g.imageHeight(),
          g.model(),
          proposal(g, thresholds),
          null,
          null,
          null,
          null);
    }
    StoredAnnotation a = saved.get();
    return new Annotations(
        g.trackingId(),
        Annotations.OFFICIAL,
        a.reviewed(),
        g.imageWidth(),
        g.imageHeight(),
        g.model(),
        boxes(g.id(), a.boxesJson()),
        a.updatedAt(),
        a.updatedBy(),
        a.reviewedAt(),
        a.reviewedBy());
  }

  /** The detections that tagged grievance {@code g}, clipped to its photo; empty ones dropped. */
  static List<LabelledBox> proposal(StoredGrievance g, TagThresholds thresholds) {
    int w = g.imageWidth();
    int h = g.imageHeight();
    List<LabelledBox> out = new ArrayList<>();
    for (Detection d : StoredDetections.parse(g.id(), g.detectionsJson(), w, h)) {
      if (d.score() < thresholds.of(d.className())) {
        continue;
      }
      double xmin = clamp(d.xmin(), w);
      double ymin = clamp(d.ymin(), h);
      double xmax = clamp(d.xmax(), w);
      double ymax = clamp(d.ymax(), h);
      if (xmax > xmin && ymax > ymin) {
        out.add(new LabelledBox(d.className(), new PixelBox(xmin, ymin, xmax, ymax)));
      }
    }
    return out;
  }

  private static double clamp(double v, int size) {
    return Math.max(0, Math.min(size, v));
  }

  /** {@code boxes} as the JSON text the annotation row stores. */
  static String json(List<LabelledBox> boxes) {
    try {
      return ApiJson.MAPPER.writeValueAsString(boxes);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise boxes", e);
    }
  }

  private static List<LabelledBox> boxes(long id, String json) {
    try {
      return ApiJson.MAPPER.readValue(json, BOXES);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("grievance " + id + " has malformed annotation JSON", e);
    }
  }
}
