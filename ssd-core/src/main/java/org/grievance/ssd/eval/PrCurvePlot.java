package org.grievance.ssd.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.grievance.ssd.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Precision/recall curves of a VOC evaluation as a PNG: one line per class with ground truth. */
public final class PrCurvePlot {
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 750;

  private PrCurvePlot() {}

  /** Renders {@code eval} and writes it atomically to {@code png}. */
  public static void write(VocEvaluation eval, Path png) throws IOException {
    XYChart chart = chart(eval);
    byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    AtomicFiles.write(png, bytes);
  }

  static XYChart chart(VocEvaluation eval) {
    String metric =
        eval.metric() == ApMetric.VOC07_11_POINT ? "VOC07 11-point" : "VOC2010 all-point";
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(
                String.format(
                    Locale.ROOT,
                    "Precision/recall, %s AP at IoU > %s, mAP %.4f",
                    metric,
                    eval.iouThreshold(),
                    eval.meanAp()))
            .xAxisTitle("recall")
            .yAxisTitle("precision")
            .build();
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
    chart.getStyler().setLegendVisible(true);
    int plotted = 0;
    for (ClassAp c : eval.classes()) {
      if (!c.hasGroundTruth()) {
        continue;
      }
      // A class without detections is drawn as the single point (0, 0) so that it stays listed.
      double[] recall = c.recall().length > 0 ? c.recall() : new double[] {0.0};
      double[] precision = c.precision().length > 0 ? c.precision() : new double[] {0.0};
      String label = String.format(Locale.ROOT, "%d %s (AP %.4f)", c.classId(), c.name(), c.ap());
      XYSeries series = chart.addSeries(label, recall, precision);
      series.setMarker(SeriesMarkers.NONE);
      plotted++;
    }
    if (plotted == 0) {
      chart.addSeries("no class has ground truth", new double[] {0.0}, new double[] {0.0});
    }
    return chart;
  }
}
