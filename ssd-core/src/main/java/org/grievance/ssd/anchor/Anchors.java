package org.grievance.ssd.anchor;

import java.util.List;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.box.BoxFormat;
import org.grievance.ssd.box.Boxes;

/**
 * The anchors of a configuration, immutable. Accessors return copies, so callers that need the
 * arrays repeatedly (encoders, decoders) should fetch them once.
 */
public final class Anchors {
  private final AnchorConfig config;
  private final double[] boxes;
  private final double[] corners;
  private final double[] centroids;
  private final double[] variances;
  private final List<AnchorLayer> layers;

  Anchors(AnchorConfig config, double[] boxes, List<AnchorLayer> layers) {
    this.config = config;
    this.boxes = boxes;
    this.layers = List.copyOf(layers);
    this.variances = config.varianceArray();
    // Converted the way the reference's IoU and decoders convert them (d = 0), so that matching on
    // these corners reproduces the reference's IoU values bit for bit.
    this.corners = Boxes.convert(boxes, config.coords(), BoxFormat.CORNERS, BorderPixels.HALF);
    this.centroids = Boxes.convert(boxes, config.coords(), BoxFormat.CENTROIDS, BorderPixels.HALF);
  }

  public AnchorConfig config() {
    return config;
  }

  /** Number of anchors N. */
  public int count() {
    return boxes.length / 4;
  }

  /** The anchors, 4 numbers each, in the configuration's format and units. */
  public double[] boxes() {
    return boxes.clone();
  }

  /**
   * The anchors as corners {@code (xmin, ymin, xmax, ymax)}, in the configuration's units
   * (normalised if configured).
   */
  public double[] corners() {
    return corners.clone();
  }

  /** The anchors as centroids {@code (cx, cy, w, h)}, in the configuration's units. */
  public double[] centroids() {
    return centroids.clone();
  }

  /** The 4 variances {@code (v0, v1, v2, v3)}, identical for every anchor. */
  public double[] variances() {
    return variances.clone();
  }

  /** The predictor layers in order; their anchors are consecutive in {@link #boxes()}. */
  public List<AnchorLayer> layers() {
    return layers;
  }
}
