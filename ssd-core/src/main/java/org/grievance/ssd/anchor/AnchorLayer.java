package org.grievance.ssd.anchor;

import java.util.List;

/**
 * The anchor grid of one predictor layer, in absolute pixels (before clipping and normalisation),
 * and where its anchors sit in the global anchor order.
 */
public final class AnchorLayer {
  private final int index;
  private final FeatureMapSize featureMapSize;
  private final List<Double> aspectRatios;
  private final double thisScale;
  private final double nextScale;
  private final double[] wh;
  private final AxisPair step;
  private final AxisPair offset;
  private final double[] cy;
  private final double[] cx;
  private final int firstAnchor;

  AnchorLayer(
      int index,
      FeatureMapSize featureMapSize,
      List<Double> aspectRatios,
      double thisScale,
      double nextScale,
      double[] wh,
      AxisPair step,
      AxisPair offset,
      double[] cy,
      double[] cx,
      int firstAnchor) {
    this.index = index;
    this.featureMapSize = featureMapSize;
    this.aspectRatios = List.copyOf(aspectRatios);
    this.thisScale = thisScale;
    this.nextScale = nextScale;
    this.wh = wh.clone();
    this.step = step;
    this.offset = offset;
    this.cy = cy.clone();
    this.cx = cx.clone();
    this.firstAnchor = firstAnchor;
  }

  /** Position of this layer among the predictor layers (0 = shallowest). */
  public int index() {
    return index;
  }

  public FeatureMapSize featureMapSize() {
    return featureMapSize;
  }

  public List<Double> aspectRatios() {
    return aspectRatios;
  }

  public double thisScale() {
    return thisScale;
  }

  public double nextScale() {
    return nextScale;
  }

  /** Anchors per feature-map cell. */
  public int boxesPerCell() {
    return wh.length / 2;
  }

  /** Anchors in this layer: cells × boxes per cell. */
  public int count() {
    return featureMapSize.cells() * boxesPerCell();
  }

  /** {@code (w, h)} of each box of a cell in pixels, in box order (length 2·boxesPerCell). */
  public double[] wh() {
    return wh.clone();
  }

  /** Width in pixels of box {@code k} of a cell (before clipping). */
  public double width(int k) {
    return wh[2 * k];
  }

  /** Height in pixels of box {@code k} of a cell (before clipping). */
  public double height(int k) {
    return wh[2 * k + 1];
  }

  /** Pixels between neighbouring cell centres, {@code (step_h, step_w)}. */
  public AxisPair step() {
    return step;
  }

  /** First cell centre as a fraction of the step, {@code (offset_h, offset_w)}. */
  public AxisPair offset() {
    return offset;
  }

  /** Cell-centre y coordinates in pixels, one per feature-map row. */
  public double[] cy() {
    return cy.clone();
  }

  /** Cell-centre x coordinates in pixels, one per feature-map column. */
  public double[] cx() {
    return cx.clone();
  }

  /** Global index of this layer's first anchor. */
  public int firstAnchor() {
    return firstAnchor;
  }

  /**
   * Global index of box {@code k} of cell {@code (row, col)}: row-major over the feature map, box
   * fastest (the reference's C-order reshape of {@code (fh, fw, n_boxes)}).
   */
  public int anchorIndex(int row, int col, int k) {
    return firstAnchor + (row * featureMapSize.width() + col) * boxesPerCell() + k;
  }
}
