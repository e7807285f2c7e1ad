package org.grievance.ssd.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.grievance.ssd.anchor.AnchorGenerator;
import org.grievance.ssd.anchor.Anchors;
import org.grievance.ssd.augment.Labeled;
import org.grievance.ssd.augment.Resize;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.decode.DecoderConfig;
import org.grievance.ssd.decode.DecoderKind;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.decode.PerClassNmsDecoder;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.model.SsdModel;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.store.CheckpointFiles;
import org.grievance.ssd.store.ModelDirectory;
import org.grievance.ssd.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectorTest {
  /**
   * Low enough that the untrained network yields plenty of detections. One intra-op thread: on a
   * busy shared machine PyTorch's spinning workers make a 96x128 forward pass ten times slower.
   */
  private static final DetectorOptions MANY =
      DetectorOptions.builder().confidenceThreshold(0.05).topK(50).threads(1).build();

  @TempDir Path tmp;

  @Test
  void boxesAreMappedToTheOriginalImageFrame() {
    RgbImage image = TinyModels.image(150, 200, 1);
    try (Model model = TinyModels.model(11);
        Detector detector = Detector.of(model, TinyModels.DESCRIPTION, MANY)) {
      List<Detection> got = detector.detect(image);
      List<Detection> expected = byHand(model, image, detector.decoderConfig());

      assertThat(got).isNotEmpty().hasSameSizeAs(expected);
      for (int i = 0; i < got.size(); i++) {
        Detection g = got.get(i);
        Detection e = expected.get(i);
        assertThat(g.classId()).as("detection %d class", i).isEqualTo(e.classId());
        assertThat(g.className()).isEqualTo(e.className());
        assertThat(g.score()).as("detection %d score", i).isCloseTo(e.score(), within(1e-4));
        double[] bg = {g.xmin(), g.ymin(), g.xmax(), g.ymax()};
        double[] be = {e.xmin(), e.ymin(), e.xmax(), e.ymax()};
        for (int j = 0; j < 4; j++) {
          // Folded batch norm rounds differently; boxes of the untrained net can be huge.
          assertThat(bg[j])
              .as("detection %d coordinate %d", i, j)
              .isCloseTo(be[j], within(1e-4 * boxScale(be)));
        }
      }
    }
  }

  /**
   * The straightforward path with the unfolded network: resize, run, softmax, decode in the
   * network's 96x128 frame, then scale x by 200/128 and y by 150/96.
   */
  private static List<Detection> byHand(Model model, RgbImage image, DecoderConfig config) {
    RgbImage small = new Resize(96, 128).apply(Labeled.of(image), null).image();
    float[] nchw = new float[3 * 96 * 128];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 96; y++) {
        for (int x = 0; x < 128; x++) {
          nchw[(c * 96 + y) * 128 + x] = small.get(y, x, c);
        }
      }
    }
    float[] scores;
    float[] offsets;
    try (NDManager m = model.getNDManager().newSubManager()) {
      NDArray input = m.create(nchw, new Shape(1, 3, 96, 128));
      SsdModel net = (SsdModel) model.getBlock();
      NDList out = net.forward(new ParameterStore(m, false), new NDList(input), false);
      scores = out.get(0).softmax(-1).toFloatArray();
      offsets = out.get(1).toFloatArray();
    }
    Anchors anchors = AnchorGenerator.generate(TinyModels.DESCRIPTION.anchors());
    List<Detection> inNetworkFrame =
        new PerClassNmsDecoder(anchors.boxes(), anchors.variances(), config)
            .decode(scores, offsets, 96, 128);
    double sx = 200.0 / 128;
    double sy = 150.0 / 96;
    List<Detection> out = new ArrayList<>();
    for (Detection d : inNetworkFrame) {
      out.add(
          new Detection(
              d.classId(),
              d.className(),
              d.score(),
              d.xmin() * sx,
              d.ymin() * sy,
              d.xmax() * sx,
              d.ymax() * sy));
    }
    return out;
  }

  @Test
  void aBatchGivesTheSameDetectionsAsSingleImages() {
    List<RgbImage> images = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      images.add(TinyModels.image(80 + 30 * i, 300 - 25 * i, 100 + i));
    }
    DetectorOptions batched = MANY.toBuilder().batchSize(3).build();
    try (Model model = TinyModels.model(12);
        Detector detector = Detector.of(model, TinyModels.DESCRIPTION, batched)) {
      List<List<Detection>> together = detector.detect(images);
      assertThat(together).hasSize(5);
      for (int i = 0; i < images.size(); i++) {
        List<Detection> alone = detector.detect(images.get(i));
        assertThat(together.get(i)).as("image %d", i).isNotEmpty();
        assertSame(together.get(i), alone, "image " + i);
      }
      assertThat(detector.detect(List.of())).isEmpty();
    }
  }

  /**
   * Equal up to float rounding: PyTorch may pick other convolution kernels for another batch size.
   * Relative box tolerance: the untrained network's boxes can be thousands of pixels wide.
   */
  private static void assertSame(List<Detection> a, List<Detection> b, String what) {
    assertThat(a).as(what).hasSameSizeAs(b);
    for (int k = 0; k < a.size(); k++) {
      Detection x = a.get(k);
      Detection y = b.get(k);
      assertThat(x.classId()).as("%s detection %d", what, k).isEqualTo(y.classId());
      assertThat(x.score()).as("%s detection %d", what, k).isCloseTo(y.score(), within(1e-5));
      double[] bx = {x.xmin(), x.ymin(), x.xmax(), x.ymax()};
      double[] by = {y.xmin(), y.ymin(), y.xmax(), y.ymax()};
      for (int j = 0; j < 4; j++) {
        assertThat(bx[j])
            .as("%s detection %d coordinate %d", what, k, j)
            .isCloseTo(by[j], within(1e-5 * boxScale(by)));
      }
    }
  }

  /**
   * The size of a box's numbers: corners are computed as centre ∓ half the size, so their rounding
   * error scales with the largest of them, not with each one.
   */
  private static double boxScale(double[] box) {
    double m = 10;
    for (double v : box) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  @Test
  void liveArrayCountStaysFlatOverManyCalls() {
    RgbImage image = TinyModels.image(120, 160, 3);
    try (Model model = TinyModels.model(13);
        Detector detector = Detector.of(model, TinyModels.DESCRIPTION, MANY);
        NDManager probe = NDManager.newBaseManager()) {
      NDManager root = probe.getParentManager(); // every manager of the process is below it
      detector.detect(image); // warm-up
      int modelBefore = model.getNDManager().getManagedArrays().size();
      int rootBefore = root.getManagedArrays().size();
      for (int i = 0; i < 150; i++) {
        detector.detect(i % 2 == 0 ? image : TinyModels.image(70 + i % 50, 90, i));
      }
      detector.detect(List.of(image, image, image));
      assertThat(model.getNDManager().getManagedArrays()).hasSize(modelBefore);
      assertThat(root.getManagedArrays()).hasSize(rootBefore);
    }
  }

  @Test
  void savedAndLoadedModelPredictsIdentically() throws IOException {
    List<RgbImage> images = List.of(TinyModels.image(96, 128, 5), TinyModels.image(300, 200, 6));
    Path run = tmp.resolve("run");
    try (Model trained = TinyModels.model(14);
        Model other = TinyModels.model(15)) {
      TinyModels.save(other, TinyModels.DESCRIPTION, run, CheckpointFiles.LAST);
      Path best = TinyModels.save(trained, TinyModels.DESCRIPTION, run, CheckpointFiles.BEST);
      List<List<Detection>> expected;
      try (Detector inMemory = Detector.of(trained, TinyModels.DESCRIPTION, MANY)) {
        expected = inMemory.detect(images);
      }
      assertThat(expected.get(0)).isNotEmpty();
      // The run directory resolves to best/ (not last/), as do the checkpoint and its model.json.
      for (Path given : List.of(run, best, best.resolve("model.json"))) {
        try (Detector loaded = Detector.load(given, MANY)) {
          assertThat(loaded.detect(images)).as("loaded from %s", given).isEqualTo(expected);
          assertThat(loaded.description()).isEqualTo(TinyModels.DESCRIPTION);
        }
      }
      try (Detector fromLast = Detector.load(run.resolve(CheckpointFiles.LAST), MANY)) {
        assertThat(fromLast.detect(images)).isNotEqualTo(expected);
      }
    }
  }

  @Test
  void runDirectoryWithoutBestFallsBackToLast() throws IOException {
    Path run = tmp.resolve("run");
    try (Model model = TinyModels.model(16)) {
      Path last = TinyModels.save(model, TinyModels.DESCRIPTION, run, CheckpointFiles.LAST);
      assertThat(ModelDirectory.resolve(run)).isEqualTo(last);
    }
  }

  @Test
  void unusableDirectoriesAreExplained() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> Detector.load(empty, DetectorOptions.defaults()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("neither a checkpoint directory")
        .hasMessageContaining("best/ or last/");
    assertThatThrownBy(() -> Detector.load(tmp.resolve("missing"), DetectorOptions.defaults()))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
    try (Model model = TinyModels.model(17)) {
      Path best =
          TinyModels.save(model, TinyModels.DESCRIPTION, tmp.resolve("run"), CheckpointFiles.BEST);
      Files.delete(best.resolve("model.json"));
      assertThatThrownBy(() -> ModelDirectory.open(tmp.resolve("run")))
          .hasMessageContaining("has no model.json");
    }
  }

  @Test
  void optionsOverrideTheModelsDecoderDefaults() {
    try (Model model = TinyModels.model(18)) {
      try (Detector d = Detector.of(model, TinyModels.DESCRIPTION, DetectorOptions.defaults())) {
        DecoderConfig c = d.decoderConfig();
        assertThat(c.confidenceThreshold()).isEqualTo(0.5);
        assertThat(c.iouThreshold()).isEqualTo(0.45);
        assertThat(c.topK()).isEqualTo(200);
        assertThat(c.classNames()).containsExactly("circle", "square");
        assertThat(c.borderPixels()).isEqualTo(BorderPixels.HALF);
      }
      try (Detector d = Detector.of(model, TinyModels.DESCRIPTION, DetectorOptions.evaluation())) {
        assertThat(d.decoderConfig().confidenceThreshold()).isEqualTo(0.01);
        assertThat(d.decoderConfig().borderPixels()).isEqualTo(BorderPixels.INCLUDE);
      }
      DetectorOptions fast =
          DetectorOptions.builder().decoder(DecoderKind.FAST).confidenceThreshold(0.05).build();
      RgbImage image = TinyModels.image(96, 128, 7);
      try (Detector d = Detector.of(model, TinyModels.DESCRIPTION, fast);
          Detector p = Detector.of(model, TinyModels.DESCRIPTION, MANY)) {
        // The fast decoder keeps one class per anchor, the per-class decoder may keep several.
        assertThat(d.detect(image)).isNotEqualTo(p.detect(image));
      }
    }
    assertThatThrownBy(() -> DetectorOptions.builder().confidenceThreshold(1.5).build())
        .hasMessageContaining("confidenceThreshold must be in [0, 1], got 1.5");
    assertThatThrownBy(() -> DetectorOptions.builder().batchSize(0).build())
        .hasMessageContaining("batchSize must be >= 1");
  }

  @Test
  void theModelsPerClassThresholdsApplyUnlessTheCallerGivesOne() {
    RgbImage image = TinyModels.image(96, 128, 9);
    DetectorOptions all = DetectorOptions.builder().confidenceThreshold(0.0).topK(200).build();
    try (Model model = TinyModels.model(21);
        Detector everything = Detector.of(model, TinyModels.DESCRIPTION, all)) {
      List<Detection> candidates = everything.detect(image);
      // Hold squares to the median square score and circles to nothing at all.
      double[] squareScores =
          candidates.stream()
              .filter(d -> d.className().equals("square"))
              .mapToDouble(Detection::score)
              .sorted()
              .toArray();
      assertThat(squareScores.length).isGreaterThan(2);
      double squareThreshold = squareScores[squareScores.length / 2];
      ModelDescription calibrated =
          TinyModels.DESCRIPTION.withClassThresholds(
              Map.of("circle", 1.0, "square", squareThreshold), null);
      try (Detector d = Detector.of(model, calibrated, DetectorOptions.builder().build())) {
        assertThat(d.decoderConfig().classThresholds()).containsExactly(1.0, squareThreshold);
        List<Detection> got = d.detect(image);
        assertThat(got).isNotEmpty();
        assertThat(got).allMatch(x -> x.className().equals("square"));
        assertThat(got)
            .containsExactlyElementsOf(
                candidates.stream()
                    .filter(x -> x.className().equals("square") && x.score() > squareThreshold)
                    .toList());
      }
      // An explicit threshold holds every class to it, as if the model had no per-class ones.
      DetectorOptions explicit = DetectorOptions.builder().confidenceThreshold(0.05).build();
      try (Detector d = Detector.of(model, calibrated, explicit);
          Detector plain = Detector.of(model, TinyModels.DESCRIPTION, explicit)) {
        assertThat(d.decoderConfig().hasClassThresholds()).isFalse();
        assertThat(d.detect(image)).isEqualTo(plain.detect(image));
        assertThat(d.detect(image)).anyMatch(x -> x.className().equals("circle"));
      }
    }
  }

  @Test
  void concurrentCallsGiveTheSequentialResults() throws Exception {
    List<RgbImage> images = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      images.add(TinyModels.image(90 + 10 * i, 130, 200 + i));
    }
    try (Model model = TinyModels.model(19);
        Detector detector = Detector.of(model, TinyModels.DESCRIPTION, MANY)) {
      List<List<Detection>> sequential = new ArrayList<>();
      for (RgbImage img : images) {
        sequential.add(detector.detect(img));
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<List<Detection>>> futures = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
          for (RgbImage img : images) {
            futures.add(pool.submit(() -> detector.detect(img)));
          }
        }
        for (int k = 0; k < futures.size(); k++) {
          assertSame(futures.get(k).get(), sequential.get(k % images.size()), "call " + k);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aClosedDetectorRefusesWork() {
    try (Model model = TinyModels.model(20)) {
      Detector d = Detector.of(model, TinyModels.DESCRIPTION, MANY);
      d.close();
      d.close(); // idempotent
      assertThatThrownBy(() -> d.detect(TinyModels.image(96, 128, 1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }
}
