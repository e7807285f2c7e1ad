package org.grievance.ssd.anchor;

import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.box.BoxFormat;
import org.grievance.ssd.box.Boxes;

/**
 * Builds the anchor boxes exactly as the reference does (its {@code AnchorBoxes} layer and its
 * encoder share the logic), layer by layer in predictor order.
 *
 * <p>Per layer: box sizes in aspect-ratio order from {@code min(H, W)} (the extra ratio-1 box right
 * after ratio 1), cell centres {@code (offset + i)·step} via numpy's {@code linspace}, corners,
 * optional clipping, optional normalisation, conversion to the configured format.
 *
 * <p>Clipping keeps the reference's behaviour on purpose: coordinates {@code >= W} become {@code W
 * − 1} (not W), and only those, so an edge at {@code W − 0.5} stays there. The model and the
 * encoder use the same anchors either way, and matching the reference keeps ported weights valid.
 */
public final class AnchorGenerator {
  private AnchorGenerator() {}

  public static Anchors generate(AnchorConfig config) {
    int h = config.imageHeight();
    int w = config.imageWidth();
    double size = Math.min(h, w);
    double[] boxes = new double[4 * config.anchorCount()];
    List<AnchorLayer> layers = new ArrayList<>();
    int first = 0;
    for (int i = 0; i < config.layerCount(); i++) {
      FeatureMapSize fm = config.predictorSizes().get(i);
      double thisScale = config.scales().get(i);
      double nextScale = config.scales().get(i + 1);
      double[] wh = boxSizes(config.aspectRatios().get(i), thisScale, nextScale, size, config);
      AxisPair step = config.steps().get(i);
      AxisPair offset = config.offsets().get(i);
      double[] cy =
          linspace(offset.h() * step.h(), (offset.h() + fm.height() - 1) * step.h(), fm.height());
      double[] cx =
          linspace(offset.w() * step.w(), (offset.w() + fm.width() - 1) * step.w(), fm.width());
      AnchorLayer layer =
          new AnchorLayer(
              i,
              fm,
              config.aspectRatios().get(i),
              thisScale,
              nextScale,
              wh,
              step,
              offset,
              cy,
              cx,
              first);
      int n = layer.boxesPerCell();
      int o = 4 * first;
      for (int r = 0; r < fm.height(); r++) {
        for (int c = 0; c < fm.width(); c++) {
          for (int k = 0; k < n; k++) {
            boxes[o] = cx[c] - wh[2 * k] / 2.0;
            boxes[o + 1] = cy[r] - wh[2 * k + 1] / 2.0;
            boxes[o + 2] = cx[c] + wh[2 * k] / 2.0;
            boxes[o + 3] = cy[r] + wh[2 * k + 1] / 2.0;
            o += 4;
          }
        }
      }
      layers.add(layer);
      first += layer.count();
    }
    for (int o = 0; o < boxes.length; o += 4) {
      if (config.clipBoxes()) {
        boxes[o] = clip(boxes[o], w);
        boxes[o + 1] = clip(boxes[o + 1], h);
        boxes[o + 2] = clip(boxes[o + 2], w);
        boxes[o + 3] = clip(boxes[o + 3], h);
      }
      if (config.normalizeCoords()) {
        boxes[o] /= w;
        boxes[o + 1] /= h;
        boxes[o + 2] /= w;
        boxes[o + 3] /= h;
      }
      if (config.coords() != BoxFormat.CORNERS) {
        Boxes.convert(boxes, o, boxes, o, BoxFormat.CORNERS, config.coords(), BorderPixels.HALF);
      }
    }
    return new Anchors(config, boxes, layers);
  }

  /** {@code (w, h)} pairs of one cell in box order. */
  private static double[] boxSizes(
      List<Double> ratios, double thisScale, double nextScale, double size, AnchorConfig config) {
    List<Double> out = new ArrayList<>();
    for (double ar : ratios) {
      if (ar == 1.0) {
        double side = thisScale * size;
        out.add(side);
        out.add(side);
        if (config.twoBoxesForAr1()) {
          double extra = Math.sqrt(thisScale * nextScale) * size;
          out.add(extra);
          out.add(extra);
        }
      } else {
        out.add(thisScale * size * Math.sqrt(ar));
        out.add(thisScale * size / Math.sqrt(ar));
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double clip(double v, int limit) {
    if (v >= limit) {
      return limit - 1;
    }
    return v < 0 ? 0 : v;
  }

  private static double[] linspace(double a, double b, int n) {
    List<Double> list = AnchorConfig.linspace(a, b, n);
    return list.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
