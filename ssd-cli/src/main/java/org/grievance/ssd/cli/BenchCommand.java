package org.grievance.ssd.cli;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.grievance.ssd.anchor.AnchorGenerator;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.DatasetLoader;
import org.grievance.ssd.data.DatasetSpec;
import org.grievance.ssd.encode.SsdInputEncoder;
import org.grievance.ssd.engine.ThreadSettings;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.infer.Detector;
import org.grievance.ssd.infer.DetectorOptions;
import org.grievance.ssd.io.AtomicFiles;
import org.grievance.ssd.model.SsdModel;
import org.grievance.ssd.spec.FlopCounter;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.spec.SsdModels;
import org.grievance.ssd.synth.SynthConfig;
import org.grievance.ssd.synth.SyntheticDatasetGenerator;
import org.grievance.ssd.train.Batch;
import org.grievance.ssd.train.ProgressListener;
import org.grievance.ssd.train.ScheduleConfig;
import org.grievance.ssd.train.TrainConfig;
import org.grievance.ssd.train.TrainingResult;
import org.grievance.ssd.train.loader.DetectionBatchSource;
import org.grievance.ssd.train.loader.LoaderConfig;
import org.grievance.ssd.training.DetectorTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ssd bench}: the speed numbers of docs/speed.md — warm inference latency of the model alone
 * (batch norm folded) at batch 1 and 8, end-to-end latency of the {@link Detector} (resize, model,
 * softmax, decoding) at batch 1, and training images/s at batch 32 with the real loader on a
 * synthetic dataset.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures warm inference latency (batch 1 and 8, model alone and end to end) and training"
          + " images/s at batch 32 with the real data loader, and counts parameters and"
          + " multiply-accumulates per image. Prints a table; --json writes the keys params,"
          + " macs, flops (2 x macs), forward_b1_ms, forward_b8_ms, end_to_end_b1_ms,"
          + " train_img_per_s."
    })
public final class BenchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      defaultValue = "ssd7",
      description =
          "Architecture: any registered name (default: ssd7). ssd300/ssd512 run at their"
              + " reference input size; all with fresh weights.")
  String model;

  @Option(
      names = "--image-size",
      defaultValue = "300x480",
      converter = ImageSize.Converter.class,
      description = "SSD7 input size (default: ${DEFAULT-VALUE}).")
  ImageSize size;

  @Option(names = "--classes", defaultValue = "5", description = "Object classes (default: 5).")
  int classes;

  @Option(names = "--iters", defaultValue = "20", description = "Timed forward passes (20).")
  int iters;

  @Option(
      names = "--train-steps",
      defaultValue = "6",
      description = "Timed training steps at batch 32 (default: 6; 0 skips training).")
  int trainSteps;

  @Option(names = "--threads", description = "Model threads (default: cores).")
  Integer threads;

  @Option(
      names = "--batch8",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Time the batch-8 forward pass (default: on; --no-batch8 skips it, for quick repeated"
              + " batch-1 comparisons).")
  boolean batch8;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON.")
  Path json;

  @Override
  public Integer call() throws Exception {
    SsdModels.Architecture architecture = TrainCommand.architecture(model);
    String arch = architecture.name();
    if (arch.equals(SsdModels.SSD300)) {
      size = new ImageSize(300, 300);
    } else if (arch.equals(SsdModels.SSD512)) {
      size = new ImageSize(512, 512);
    }
    PrintWriter out = spec.commandLine().getOut();
    int cores = Runtime.getRuntime().availableProcessors();
    int nThreads = threads == null ? cores : threads;
    List<String> names =
        java.util.stream.IntStream.rangeClosed(1, classes).mapToObj(i -> "class" + i).toList();
    ModelDescription d = architecture.defaultDescription(size.height(), size.width(), names);
    ObjectNode res = new ObjectMapper().createObjectNode();
    res.put("model", architecture.name());
    res.put("image_size", size.toString());
    res.put("threads", nThreads);
    FlopCounter.Count cost = FlopCounter.count(d);
    res.put("params", cost.parameters());
    res.put("macs", cost.macs());
    res.put("flops", cost.flops());

    try (Model m = Model.newInstance("bench")) {
      SsdModel net = SsdModels.create(m.getNDManager(), d);
      m.setBlock(net);
      ThreadSettings.apply(m.getNDManager().getEngine(), nThreads);
      try (NDManager folded = m.getNDManager().newSubManager()) {
        SsdModel inference = net.foldBatchNorm(folded);
        res.put("forward_b1_ms", forwardMs(inference, m.getNDManager(), 1));
        if (batch8) {
          res.put("forward_b8_ms", forwardMs(inference, m.getNDManager(), 8));
        }
      }
      try (Detector det = Detector.of(m, d, DetectorOptions.builder().threads(nThreads).build())) {
        RgbImage image = RgbImage.filled(size.height(), size.width(), 120, 130, 140);
        for (int i = 0; i < WARMUP_PASSES; i++) {
          det.detect(image);
        }
        double[] t = new double[iters];
        for (int i = 0; i < iters; i++) {
          long t0 = System.nanoTime();
          det.detect(image);
          t[i] = (System.nanoTime() - t0) / 1e6;
        }
        res.put("end_to_end_b1_ms", median(t));
      }
    }
    if (trainSteps > 0) {
      double[] rates = trainAndLoaderImagesPerSecond(architecture, cores, nThreads);
      res.put("train_img_per_s", rates[0]);
      res.put("loader_img_per_s", rates[1]);
      res.put("loader_to_train_ratio", rates[1] / rates[0]);
    }
    out.printf(
        Locale.ROOT,
        "%s %s, %d threads: %,d parameters, %.3f GMACs (%.3f GFLOPs) per image%n",
        architecture.name(),
        size,
        nThreads,
        cost.parameters(),
        cost.macs() / 1e9,
        cost.flops() / 1e9);
    for (String key :
        List.of(
            "forward_b1_ms",
            "forward_b8_ms",
            "end_to_end_b1_ms",
            "train_img_per_s",
            "loader_img_per_s",
            "loader_to_train_ratio")) {
      if (res.has(key)) {
        out.printf(Locale.ROOT, "  %-18s %10.2f%n", key, res.get(key).asDouble());
      }
    }
    if (json != null) {
      AtomicFiles.write(
          json,
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(res));
      out.println("written to " + json);
    }
    out.flush();
    return 0;
  }

  /**
   * Untimed passes before timing. LibTorch's passes keep getting faster for a few dozen passes
   * (measured at 300x480, batch 1: 31 ms median over passes 4-23, 26 ms over passes 70-100), so
   * three warm-up passes measured the warming, not the warm latency.
   */
  static final int WARMUP_PASSES = 50;

  /** Median wall time of a warm forward pass of {@code batch} images, milliseconds. */
  private double forwardMs(SsdModel net, NDManager parent, int batch) {
    double[] t = new double[iters];
    try (NDManager m = parent.newSubManager()) {
      NDArray x = m.randomUniform(0, 255, new Shape(batch, 3, size.height(), size.width()));
      ParameterStore ps = new ParameterStore(m, false);
      for (int i = 0; i < WARMUP_PASSES + iters; i++) {
        try (NDManager step = m.newSubManager()) {
          // A pass's intermediate arrays belong to its input's manager: with the shared input they
          // piled up until the end (and every pass page-faulted fresh memory), so each pass gets
          // its own copy, freed with the step.
          NDArray in = x.duplicate();
          in.attach(step);
          long t0 = System.nanoTime();
          NDList o = net.forward(ps, new NDList(in), false);
          o.get(0).toFloatArray();
          if (i >= WARMUP_PASSES) {
            t[i - WARMUP_PASSES] = (System.nanoTime() - t0) / 1e6;
          }
        }
      }
    }
    return median(t);
  }

  /**
   * Images/s of training steps at batch 32 through the real loader on synthetic images, and
   * images/s the same loader (light augmentation, one worker per core) delivers on its own.
   */
  private double[] trainAndLoaderImagesPerSecond(
      SsdModels.Architecture architecture, int cores, int nThreads) throws Exception {
    Path tmp = Files.createTempDirectory("ssd-bench");
    try {
      int batch = 32;
      SynthConfig cfg =
          SynthConfig.quickstart().toBuilder()
              .splits(batch * (trainSteps + 1), 0, 0)
              .imageSize(size.height(), size.width())
              .build();
      SyntheticDatasetGenerator.generate(
          cfg, tmp.resolve("data"), SyntheticDatasetGenerator.Progress.NONE);
      Dataset train =
          DatasetLoader.load(DatasetSpec.builder(tmp.resolve("data")).split("train").build());
      ModelDescription desc =
          architecture.defaultDescription(size.height(), size.width(), train.classNames());
      TrainingResult r =
          DetectorTraining.train(
              new DetectorTraining.Setup(
                  desc,
                  train,
                  null,
                  batch,
                  DetectorTraining.Augmentation.LIGHT,
                  cores,
                  false,
                  0,
                  0),
              TrainConfig.builder()
                  .epochs(1)
                  .schedule(ScheduleConfig.constant(1e-3))
                  .earlyStopping(null)
                  .numThreads(nThreads)
                  .build(),
              tmp.resolve("run"),
              ProgressListener.NONE);
      double trainRate = r.history().get(r.history().size() - 1).imagesPerSecond();
      return new double[] {trainRate, loaderImagesPerSecond(train, desc, batch, cores)};
    } finally {
      try (Stream<Path> walk = Files.walk(tmp)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** Images/s of the training loader alone over two epochs, after a warm-up epoch. */
  private static double loaderImagesPerSecond(
      Dataset train, ModelDescription desc, int batch, int cores) {
    SsdInputEncoder encoder =
        new SsdInputEncoder(AnchorGenerator.generate(desc.anchors()), desc.encoder());
    try (DetectionBatchSource source =
        new DetectionBatchSource(
            LoaderConfig.builder(train, encoder)
                .batchSize(batch)
                .augmentation(DetectorTraining.Augmentation.LIGHT.create(desc))
                .workers(cores)
                .build())) {
      long images = 0;
      long start = 0;
      for (int epoch = 0; epoch < 3; epoch++) {
        if (epoch == 1) {
          start = System.nanoTime();
        }
        Iterator<Batch> it = source.epoch(epoch);
        while (it.hasNext()) {
          Batch b = it.next();
          if (epoch > 0) {
            images += b.size();
          }
        }
      }
      return images / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static double median(double[] t) {
    double[] s = t.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
