package org.grievance.ssd.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.grievance.ssd.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * The loss curves ({@code loss.png}: train and validation loss per epoch) and, once any epoch has
 * one, the mAP curve ({@code map.png}), rewritten atomically after each epoch.
 */
public final class CurvePlot {
  /** Loss curves file name. */
  public static final String LOSS_FILE = "loss.png";

  /** mAP curve file name. */
  public static final String MAP_FILE = "map.png";

  private CurvePlot() {}

  /** Draws the curves of {@code rows} into {@code runDir}. */
  public static void write(Path runDir, List<EpochReport> rows) throws IOException {
    if (rows.isEmpty()) {
      return;
    }
    XYChart loss = chart("Loss", "loss");
    addSeries(loss, "train loss", rows, EpochReport::trainLoss);
    addSeries(loss, "val loss", rows, EpochReport::valLoss);
    save(runDir.resolve(LOSS_FILE), loss);
    XYChart map = chart("Validation mAP", "mAP");
    if (addSeries(map, "val mAP", rows, EpochReport::valMap)) {
      save(runDir.resolve(MAP_FILE), map);
    }
  }

  private static XYChart chart(String title, String yTitle) {
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(500)
            .title(title)
            .xAxisTitle("epoch")
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setMarkerSize(4);
    return chart;
  }

  /** Adds the finite values as a series; false if there are none. */
  private static boolean addSeries(
      XYChart chart, String name, List<EpochReport> rows, ToDoubleFunction<EpochReport> value) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (EpochReport r : rows) {
      double y = value.applyAsDouble(r);
      if (Double.isFinite(y)) {
        xs.add((double) r.epoch());
        ys.add(y);
      }
    }
    if (xs.isEmpty()) {
      return false;
    }
    chart.addSeries(name, xs, ys);
    return true;
  }

  private static void save(Path file, XYChart chart) throws IOException {
    byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    AtomicFiles.write(file, png);
  }
}
