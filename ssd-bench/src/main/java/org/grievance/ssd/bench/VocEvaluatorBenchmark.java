package org.grievance.ssd.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.grievance.ssd.eval.ApMetric;
import org.grievance.ssd.eval.GroundTruthBox;
import org.grievance.ssd.eval.ScoredDetection;
import org.grievance.ssd.eval.VocEvaluation;
import org.grievance.ssd.eval.VocEvaluator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Pascal VOC evaluation of a VOC2007-test-sized run: 5,000 images × 200 detections, 20 classes,
 * about 10 ground-truth boxes per image (fixed seed; half the detections near a ground-truth box).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class VocEvaluatorBenchmark {
  private static final int IMAGES = 5_000;
  private static final int DETECTIONS_PER_IMAGE = 200;
  private static final int CLASSES = 20;

  @Param({"VOC07_11_POINT", "VOC2010_ALL_POINT"})
  public ApMetric metric;

  private List<String> classNames;
  private List<GroundTruthBox> groundTruth;
  private List<ScoredDetection> detections;
  private VocEvaluator evaluator;

  @Setup
  public void setUp() {
    SplittableRandom rng = new SplittableRandom(42);
    classNames = new ArrayList<>();
    for (int c = 1; c <= CLASSES; c++) {
      classNames.add("class" + c);
    }
    groundTruth = new ArrayList<>();
    detections = new ArrayList<>(IMAGES * DETECTIONS_PER_IMAGE);
    for (int i = 0; i < IMAGES; i++) {
      String image = String.format("%06d", i);
      List<GroundTruthBox> here = new ArrayList<>();
      int n = 5 + rng.nextInt(11);
      for (int g = 0; g < n; g++) {
        double w = 20 + rng.nextInt(200);
        double h = 20 + rng.nextInt(200);
        double x = rng.nextInt(500 - (int) w);
        double y = rng.nextInt(375 - (int) h);
        GroundTruthBox b =
            new GroundTruthBox(
                image,
                1 + rng.nextInt(CLASSES),
                x,
                y,
                x + w,
                y + h,
                rng.nextDouble() < 0.1,
                false,
                Double.NaN);
        here.add(b);
        groundTruth.add(b);
      }
      for (int d = 0; d < DETECTIONS_PER_IMAGE; d++) {
        if (d % 2 == 0) {
          GroundTruthBox g = here.get(rng.nextInt(here.size()));
          double jx = (g.xmax() - g.xmin()) * 0.1;
          double jy = (g.ymax() - g.ymin()) * 0.1;
          detections.add(
              new ScoredDetection(
                  image,
                  rng.nextDouble() < 0.8 ? g.classId() : 1 + rng.nextInt(CLASSES),
                  rng.nextDouble(),
                  g.xmin() + jx * (rng.nextDouble() - 0.5),
                  g.ymin() + jy * (rng.nextDouble() - 0.5),
                  g.xmax() + jx * (rng.nextDouble() - 0.5),
                  g.ymax() + jy * (rng.nextDouble() - 0.5)));
        } else {
          double x = rng.nextDouble() * 450;
          double y = rng.nextDouble() * 325;
          detections.add(
              new ScoredDetection(
                  image,
                  1 + rng.nextInt(CLASSES),
                  rng.nextDouble() * 0.5,
                  x,
                  y,
                  x + 10 + rng.nextDouble() * 40,
                  y + 10 + rng.nextDouble() * 40));
        }
      }
    }
    evaluator = new VocEvaluator(metric, 0.5);
  }

  @Benchmark
  public VocEvaluation evaluate() {
    return evaluator.evaluate(classNames, groundTruth, detections);
  }
}
