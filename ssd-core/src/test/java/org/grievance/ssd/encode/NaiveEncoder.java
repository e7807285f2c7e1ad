package org.grievance.ssd.encode;

import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.anchor.Anchors;
import org.grievance.ssd.box.BoxFormat;
import org.grievance.ssd.box.Boxes;

/**
 * Test oracle: a direct transcription of the reference's encoding (full k×N IoU matrix, O(k²·N)
 * greedy bipartite loop) with our documented corrections, in double precision. Slow and simple, to
 * check the fast encoder against.
 */
final class NaiveEncoder {
  final int[] classes;
  final double[] offsets;

  NaiveEncoder(Anchors anchors, EncoderConfig cfg, double[] labels) {
    int n = anchors.count();
    int W = anchors.config().imageWidth();
    int H = anchors.config().imageHeight();
    boolean norm = anchors.config().normalizeCoords();
    BoxFormat coords = anchors.config().coords();
    int d = cfg.borderPixels().delta();
    double[] v = anchors.variances();
    double[] boxes = anchors.boxes();

    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < labels.length; i += 5) {
      double x0 = labels[i + 1];
      double y0 = labels[i + 2];
      double x1 = labels[i + 3];
      double y1 = labels[i + 4];
      boolean inside = Math.min(x1, W) > Math.max(x0, 0) && Math.min(y1, H) > Math.max(y0, 0);
      if (inside) {
        rows.add(new double[] {labels[i], x0, y0, x1, y1});
      }
    }
    int k = rows.size();
    double[][] target = new double[k][];
    double[] gtIouCorners = new double[4 * k];
    for (int g = 0; g < k; g++) {
      double[] r = rows.get(g);
      double sx = norm ? W : 1;
      double sy = norm ? H : 1;
      double[] nc = {r[1] / sx, r[2] / sy, r[3] / sx, r[4] / sy};
      if (!norm) {
        nc = new double[] {r[1], r[2], r[3], r[4]};
      }
      target[g] =
          switch (coords) {
            case CORNERS -> nc;
            case MINMAX -> new double[] {nc[0], nc[2], nc[1], nc[3]};
            case CENTROIDS ->
                new double[] {
                  (nc[0] + nc[2]) / 2,
                  (nc[1] + nc[3]) / 2,
                  d == 0 ? nc[2] - nc[0] : (r[3] - r[1] + d) / sx,
                  d == 0 ? nc[3] - nc[1] : (r[4] - r[2] + d) / sy
                };
          };
      double[] iouBox;
      if (d != 0) {
        iouBox = new double[] {r[1], r[2], r[3], r[4]};
      } else {
        iouBox = Boxes.convert(target[g], coords, BoxFormat.CORNERS, cfg.borderPixels());
      }
      System.arraycopy(iouBox, 0, gtIouCorners, 4 * g, 4);
    }
    double[] anchorCorners = anchors.corners();
    if (d != 0 && norm) {
      for (int a = 0; a < n; a++) {
        anchorCorners[4 * a] *= W;
        anchorCorners[4 * a + 1] *= H;
        anchorCorners[4 * a + 2] *= W;
        anchorCorners[4 * a + 3] *= H;
      }
    }
    double[] s =
        Boxes.iouMatrix(gtIouCorners, anchorCorners, BoxFormat.CORNERS, cfg.borderPixels());

    int[] match = new int[k];
    java.util.Arrays.fill(match, -1);
    double[] w = s.clone();
    for (int round = 0; round < k; round++) {
      int bestG = 0;
      int bestA = 0;
      double best = -1;
      for (int g = 0; g < k; g++) {
        int arg = 0;
        for (int a = 1; a < n; a++) {
          if (w[g * n + a] > w[g * n + arg]) {
            arg = a;
          }
        }
        if (w[g * n + arg] > best) {
          best = w[g * n + arg];
          bestG = g;
          bestA = arg;
        }
      }
      if (best <= 0) {
        break; // corrected: the reference would re-match GT 0 to anchor 0 here
      }
      match[bestG] = bestA;
      for (int a = 0; a < n; a++) {
        w[bestG * n + a] = 0;
      }
      for (int g = 0; g < k; g++) {
        w[g * n + bestA] = 0;
      }
    }
    classes = new int[n];
    offsets = new double[4 * n];
    int[] gtOf = new int[n];
    java.util.Arrays.fill(gtOf, -1);
    for (int g = 0; g < k; g++) {
      if (match[g] >= 0) {
        gtOf[match[g]] = g;
        for (int gg = 0; gg < k; gg++) {
          s[gg * n + match[g]] = 0;
        }
      }
    }
    boolean multi = cfg.matchingType() == MatchingType.MULTI;
    for (int a = 0; a < n; a++) {
      if (k == 0 || gtOf[a] >= 0) {
        continue;
      }
      int arg = 0;
      for (int g = 1; g < k; g++) {
        if (s[g * n + a] > s[arg * n + a]) {
          arg = g;
        }
      }
      double best = s[arg * n + a];
      if (multi && best >= cfg.posIouThreshold()) {
        gtOf[a] = arg;
      } else if (best >= cfg.negIouLimit()) {
        classes[a] = -1;
      }
    }
    for (int a = 0; a < n; a++) {
      int g = gtOf[a];
      if (g < 0) {
        continue;
      }
      classes[a] = (int) rows.get(g)[0];
      double[] t = target[g];
      double[] b = java.util.Arrays.copyOfRange(boxes, 4 * a, 4 * a + 4);
      double[] o = new double[4];
      switch (coords) {
        case CENTROIDS -> {
          o[0] = (t[0] - b[0]) / (b[2] * v[0]);
          o[1] = (t[1] - b[1]) / (b[3] * v[1]);
          o[2] = Math.log(t[2] / b[2]) / v[2];
          o[3] = Math.log(t[3] / b[3]) / v[3];
        }
        case CORNERS -> {
          double aw = b[2] - b[0];
          double ah = b[3] - b[1];
          o[0] = (t[0] - b[0]) / aw / v[0];
          o[1] = (t[1] - b[1]) / ah / v[1];
          o[2] = (t[2] - b[2]) / aw / v[2];
          o[3] = (t[3] - b[3]) / ah / v[3];
        }
        case MINMAX -> {
          double aw = b[1] - b[0];
          double ah = b[3] - b[2];
          o[0] = (t[0] - b[0]) / aw / v[0];
          o[1] = (t[1] - b[1]) / aw / v[1];
          o[2] = (t[2] - b[2]) / ah / v[2];
          o[3] = (t[3] - b[3]) / ah / v[3];
        }
      }
      System.arraycopy(o, 0, offsets, 4 * a, 4);
    }
  }
}
