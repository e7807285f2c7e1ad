package org.grievance.ssd.train.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.grievance.ssd.train.loader.LoaderFixtures.H;
import static org.grievance.ssd.train.loader.LoaderFixtures.W;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.grievance.ssd.augment.ConstantInputSizeAugmentation;
import org.grievance.ssd.augment.Labeled;
import org.grievance.ssd.augment.Resize;
import org.grievance.ssd.augment.Transform;
import org.grievance.ssd.data.ObjectBox;
import org.grievance.ssd.data.Sample;
import org.grievance.ssd.encode.EncodedTargets;
import org.grievance.ssd.encode.InvalidBoxException;
import org.grievance.ssd.encode.SsdInputEncoder;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.ImageReadException;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.train.Batch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60) // a deadlock must fail the test, not hang the build
class DetectionBatchSourceTest {
  @TempDir Path tmp;

  private final SsdInputEncoder encoder = LoaderFixtures.encoder();

  private LoaderConfig.Builder config(List<Sample> samples) {
    return LoaderConfig.builder(samples, encoder).batchSize(2).workers(2).prefetch(2);
  }

  @Test
  void deliversPixelsInNchwOrderAndTheEncodersTargets() throws IOException {
    List<Sample> samples = LoaderFixtures.write(tmp, 3, H, W);
    try (DetectionBatchSource source =
        new DetectionBatchSource(config(samples).forValidation().build())) {
      assertThat(source.batchesPerEpoch()).isEqualTo(2);
      assertThat(source.anchorCount()).isEqualTo(encoder.anchorCount());
      Iterator<Batch> it = source.epoch(1);
      Batch b = it.next();
      assertThat(b.size()).isEqualTo(2);
      assertThat(b.imageHeight()).isEqualTo(H);
      assertThat(b.imageWidth()).isEqualTo(W);
      int n = encoder.anchorCount();
      for (int k = 0; k < 2; k++) {
        RgbImage expected = LoaderFixtures.image(k, H, W);
        for (int c = 0; c < 3; c++) {
          for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
              float v = b.images()[((k * 3 + c) * H + y) * W + x];
              if (v != expected.get(y, x, c)) {
                throw new AssertionError(
                    "image " + k + " channel " + c + " pixel (" + y + "," + x + ") is " + v);
              }
            }
          }
        }
        EncodedTargets direct = encoder.encode(flat(samples.get(k)));
        assertThat(direct.positives()).isPositive();
        assertThat(Arrays.copyOfRange(b.classIds(), k * n, (k + 1) * n))
            .isEqualTo(direct.classIds());
        assertThat(Arrays.copyOfRange(b.offsets(), k * n * 4, (k + 1) * n * 4))
            .isEqualTo(direct.offsets());
      }
    }
  }

  @Test
  void resizesImagesAndLabelsToTheModelInputLikeTheAugmentResize() throws IOException {
    List<Sample> samples = LoaderFixtures.write(tmp, 2, 48, 80);
    try (DetectionBatchSource source =
        new DetectionBatchSource(config(samples).forValidation().build())) {
      Batch b = source.epoch(1).next();
      int n = encoder.anchorCount();
      for (int k = 0; k < 2; k++) {
        Sample s = samples.get(k);
        Labeled resized =
            new Resize(H, W)
                .apply(Labeled.of(ImageFiles.read(s.imagePath()), SamplePipeline.labels(s)), null);
        float[] planar = new float[3 * H * W];
        SamplePipeline.toPlanar(resized.image().data(), planar, 0);
        assertThat(Arrays.copyOfRange(b.images(), k * 3 * H * W, (k + 1) * 3 * H * W))
            .isEqualTo(planar);
        EncodedTargets direct = encoder.encode(SamplePipeline.flatten(resized.labels()));
        assertThat(Arrays.copyOfRange(b.classIds(), k * n, (k + 1) * n))
            .isEqualTo(direct.classIds());
        assertThat(Arrays.copyOfRange(b.offsets(), k * n * 4, (k + 1) * n * 4))
            .isEqualTo(direct.offsets());
      }
    }
  }

  @Test
  void imagesWithoutObjectsAreLeftOutUnlessKept() throws IOException {
    List<Sample> samples = LoaderFixtures.write(tmp, 5, H, W, 1, 3);
    try (DetectionBatchSource dropping =
        new DetectionBatchSource(config(samples).forValidation().build())) {
      assertThat(dropping.imagesPerEpoch()).isEqualTo(3);
      assertThat(LoaderFixtures.ids(LoaderFixtures.epoch(dropping, 1))).containsExactly(0, 2, 4);
    }
    try (DetectionBatchSource keeping =
        new DetectionBatchSource(
            config(samples).forValidation().keepImagesWithoutObjects(true).build())) {
      List<Batch> batches = LoaderFixtures.epoch(keeping, 1);
      assertThat(LoaderFixtures.ids(batches)).containsExactly(0, 1, 2, 3, 4);
      int n = encoder.anchorCount();
      int[] image1 = Arrays.copyOfRange(batches.get(0).classIds(), n, 2 * n);
      assertThat(image1).containsOnly(0); // all background
    }
  }

  @Test
  void sameSeedGivesIdenticalBatchesWithOneOrThreeWorkers() throws IOException {
    List<Sample> samples = LoaderFixtures.write(tmp, 9, H, W);
    Transform augment =
        new ConstantInputSizeAugmentation(ConstantInputSizeAugmentation.Config.defaults());
    List<List<Batch>> runs = new ArrayList<>();
    for (int workers : new int[] {1, 3}) {
      try (DetectionBatchSource source =
          new DetectionBatchSource(
              config(samples).augmentation(augment).workers(workers).prefetch(workers).build())) {
        List<Batch> all = new ArrayList<>();
        for (long seed = 10; seed < 13; seed++) {
          all.addAll(LoaderFixtures.epoch(source, seed));
        }
        runs.add(all);
      }
    }
    assertThat(runs.get(0)).hasSize(12);
    for (int i = 0; i < runs.get(0).size(); i++) {
      Batch a = runs.get(0).get(i);
      Batch b = runs.get(1).get(i);
      assertThat(b.images()).as("images of batch %d", i).isEqualTo(a.images());
      assertThat(b.classIds()).as("classes of batch %d", i).isEqualTo(a.classIds());
      assertThat(b.offsets()).as("offsets of batch %d", i).isEqualTo(a.offsets());
    }
    // The augmentation did something: the same image differs between epochs.
    assertThat(augmentedDiffersAcrossEpochs(runs.get(0))).isTrue();
  }

  private static boolean augmentedDiffersAcrossEpochs(List<Batch> batches) {
    // 4 batches of 2 per epoch; compare every image of epoch 1 with itself in epochs 2 and 3.
    for (int a = 0; a < 4; a++) {
      for (int b = 4; b < 12; b++) {
        for (int i = 0; i < 2; i++) {
          for (int j = 0; j < 2; j++) {
            Batch x = batches.get(a);
            Batch y = batches.get(b);
            int p = 3 * H * W;
            if (!Arrays.equals(
                Arrays.copyOfRange(x.images(), i * p, (i + 1) * p),
                Arrays.copyOfRange(y.images(), j * p, (j + 1) * p))) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  @Test
  void shuffleOrderDependsOnlyOnTheEpochSeed() throws IOException {
    List<Sample> samples = LoaderFixtures.write(tmp, 8, H, W);
    try (DetectionBatchSource source =
        new DetectionBatchSource(config(samples).shuffle(true).build())) {
      List<Integer> a = LoaderFixtures.ids(LoaderFixtures.epoch(source, 1));
      List<Integer> b = LoaderFixtures.ids(LoaderFixtures.epoch(source, 2));
      List<Integer> again = LoaderFixtures.ids(LoaderFixtures.epoch(source, 1));
      assertThat(a).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
      assertThat(b).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
      assertThat(b).isNotEqualTo(a);
      assertThat(again).isEqualTo(a);
    }
    try (DetectionBatchSource ordered =
        new DetectionBatchSource(config(samples).shuffle(false).build())) {
      assertThat(LoaderFixtures.ids(LoaderFixtures.epoch(ordered, 1)))
          .containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }
  }

  @Test
  void lastPartialBatchIsDroppedForTrainingAndDeliveredForValidation() throws IOException {
    List<Sample> samples = LoaderFixtures.write(tmp, 5, H, W);
    try (DetectionBatchSource train =
        new DetectionBatchSource(config(samples).shuffle(false).dropLast(true).build())) {
      List<Batch> batches = LoaderFixtures.epoch(train, 1);
      assertThat(train.batchesPerEpoch()).isEqualTo(2);
      assertThat(batches).extracting(Batch::size).containsExactly(2, 2);
      assertThat(LoaderFixtures.ids(batches)).containsExactly(0, 1, 2, 3);
    }
    try (DetectionBatchSource val =
        new DetectionBatchSource(config(samples).forValidation().build())) {
      List<Batch> batches = LoaderFixtures.epoch(val, 1);
      assertThat(val.batchesPerEpoch()).isEqualTo(3);
      assertThat(batches).extracting(Batch::size).containsExactly(2, 2, 1);
      assertThat(LoaderFixtures.ids(batches)).containsExactly(0, 1, 2, 3, 4);
      int n = encoder.anchorCount();
      assertThat(batches.get(2).classIds()).hasSize(n);
      assertThat(batches.get(2).classIds())
          .isEqualTo(encoder.encode(flat(samples.get(4))).classIds());
    }
  }

  @Test
  void imagesRejectedByTheAugmentationLeaveTheirBatchAndEmptyBatchesAreSkipped()
      throws IOException {
    List<Sample> samples = LoaderFixtures.write(tmp, 6, H, W);
    Set<Integer> rejected = Set.of(1, 4, 5);
    Transform reject =
        (in, rng) -> rejected.contains(idOf(in.image())) ? null : in; // images 4, 5 = batch 3
    try (DetectionBatchSource source =
        new DetectionBatchSource(config(samples).shuffle(false).augmentation(reject).build())) {
      List<Batch> batches = LoaderFixtures.epoch(source, 1);
      assertThat(batches).extracting(Batch::size).containsExactly(1, 2);
      assertThat(LoaderFixtures.ids(batches)).containsExactly(0, 2, 3);
    }
  }

  private static int idOf(RgbImage image) {
    int red = image.get(0, 0, 0);
    return IntStream.range(0, 256).filter(i -> ((37 * i) & 0xFF) == red).findFirst().orElseThrow();
  }

  @Test
  void aCorruptImageFailsItsBatchNamingTheFileAfterTheEarlierBatches() throws IOException {
    List<Sample> samples = LoaderFixtures.write(tmp, 6, H, W);
    Path bad = samples.get(3).imagePath();
    Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    Set<Thread> before = loaderThreads();
    try (DetectionBatchSource source =
        new DetectionBatchSource(config(samples).shuffle(false).workers(3).build())) {
      Iterator<Batch> it = source.epoch(1);
      assertThat(LoaderFixtures.ids(List.of(it.next()))).containsExactly(0, 1);
      assertThatThrownBy(it::hasNext)
          .isInstanceOf(SampleLoadException.class)
          .hasMessageContaining(bad.toString())
          .hasMessageContaining("img_3")
          .hasCauseInstanceOf(ImageReadException.class)
          .satisfies(e -> assertThat(((SampleLoadException) e).imagePath()).isEqualTo(bad));
      assertThatThrownBy(it::next).isInstanceOf(SampleLoadException.class);
    }
    assertNoNewLoaderThreads(before);
  }

  @Test
  void aLabelTheEncoderRejectsFailsNamingTheFile() throws IOException {
    List<Sample> samples = new ArrayList<>(LoaderFixtures.write(tmp, 4, H, W));
    Sample s = samples.get(1);
    samples.set(1, s.withObjects(List.of(ObjectBox.of(9, 10, 10, 50, 50))));
    try (DetectionBatchSource source =
        new DetectionBatchSource(config(samples).shuffle(false).build())) {
      Iterator<Batch> it = source.epoch(1);
      assertThatThrownBy(it::hasNext)
          .isInstanceOf(SampleLoadException.class)
          .hasMessageContaining(s.imagePath().toString())
          .hasMessageContaining("class id")
          .hasCauseInstanceOf(InvalidBoxException.class);
    }
  }

  @Test
  void closeStopsEveryWorkerThreadEvenMidEpoch() throws IOException {
    List<Sample> samples = LoaderFixtures.write(tmp, 10, H, W);
    Set<Thread> before = loaderThreads();
    DetectionBatchSource source =
        new DetectionBatchSource(config(samples).workers(3).prefetch(1).build());
    Iterator<Batch> it = source.epoch(1);
    it.next(); // workers now wait for the consumer with more batches to build
    assertThat(loaderThreads()).hasSizeGreaterThan(before.size());
    source.close();
    assertNoNewLoaderThreads(before);
    assertThatThrownBy(it::hasNext).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> source.epoch(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    source.close(); // idempotent
  }

  @Test
  void aNewEpochStopsAnAbandonedOneAndStartsClean() throws IOException {
    List<Sample> samples = LoaderFixtures.write(tmp, 8, H, W);
    try (DetectionBatchSource source =
        new DetectionBatchSource(config(samples).workers(2).prefetch(1).build())) {
      List<Batch> full = LoaderFixtures.epoch(source, 5);
      Iterator<Batch> abandoned = source.epoch(3);
      abandoned.next();
      Iterator<Batch> it = source.epoch(5);
      List<Batch> again = new ArrayList<>();
      again.add(LoaderFixtures.copy(it.next()));
      // The abandoned iterator still holds a slot that now belongs to the new epoch.
      assertThatThrownBy(abandoned::hasNext)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("new epoch");
      while (it.hasNext()) {
        again.add(LoaderFixtures.copy(it.next()));
      }
      assertThat(LoaderFixtures.ids(again)).isEqualTo(LoaderFixtures.ids(full));
      for (int i = 0; i < full.size(); i++) {
        assertThat(again.get(i).images()).isEqualTo(full.get(i).images());
        assertThat(again.get(i).classIds()).isEqualTo(full.get(i).classIds());
      }
    }
  }

  @Test
  void cachedImagesGiveTheSameBatchesWithoutReadingFilesAgain() throws IOException {
    List<Sample> samples = LoaderFixtures.write(tmp, 6, 48, 64);
    Transform augment =
        new ConstantInputSizeAugmentation(ConstantInputSizeAugmentation.Config.defaults());
    List<Batch> uncached;
    try (DetectionBatchSource source =
        new DetectionBatchSource(config(samples).augmentation(augment).build())) {
      assertThat(source.cachesImages()).isFalse();
      uncached = LoaderFixtures.epoch(source, 2);
    }
    try (DetectionBatchSource source =
        new DetectionBatchSource(
            config(samples).augmentation(augment).cacheDecodedImages(true).build())) {
      assertThat(source.cachesImages()).isTrue();
      LoaderFixtures.epoch(source, 1);
      for (Sample s : samples) {
        Files.delete(s.imagePath());
      }
      List<Batch> cached = LoaderFixtures.epoch(source, 2);
      for (int i = 0; i < cached.size(); i++) {
        assertThat(cached.get(i).images()).isEqualTo(uncached.get(i).images());
        assertThat(cached.get(i).classIds()).isEqualTo(uncached.get(i).classIds());
      }
    }
  }

  @Test
  void cacheOverTheBudgetIsDisabled() throws IOException {
    List<Sample> samples = LoaderFixtures.write(tmp, 4, H, W);
    long need = ImageCache.estimateBytes(4, H, W);
    try (DetectionBatchSource source =
        new DetectionBatchSource(
            config(samples).cacheDecodedImages(true).cacheBudgetBytes(need - 1).build())) {
      assertThat(source.cachesImages()).isFalse();
      assertThat(LoaderFixtures.epoch(source, 1)).hasSize(2);
    }
  }

  @Test
  void configRejectsInconsistentSettingsNamingTheField() throws IOException {
    List<Sample> samples = LoaderFixtures.write(tmp, 3, H, W, 2);
    assertThatThrownBy(() -> config(samples).inputSize(H, W + 1).build())
        .hasMessageContaining("imageHeight x imageWidth is 96x129")
        .hasMessageContaining("96x128");
    assertThatThrownBy(() -> config(samples).prefetch(0).build())
        .hasMessageContaining("LoaderConfig.prefetch");
    assertThatThrownBy(() -> config(samples).workers(0).build())
        .hasMessageContaining("LoaderConfig.workers must be > 0, got 0");
    assertThatThrownBy(() -> config(samples).batchSize(3).dropLast(true).build())
        .hasMessageContaining("only 2 usable images for batchSize 3");
    assertThatThrownBy(() -> config(List.of(samples.get(2))).build())
        .hasMessageContaining("keepImagesWithoutObjects");
    assertThat(config(samples).batchSize(3).dropLast(false).build().batchSize()).isEqualTo(3);
  }

  private static double[] flat(Sample s) {
    return SamplePipeline.flatten(SamplePipeline.labels(s));
  }

  private static Set<Thread> loaderThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(DetectionBatchSource.THREAD_PREFIX))
        .collect(Collectors.toCollection(HashSet::new));
  }

  /** Threads may take a moment to die after their pool terminated; wait a bounded while. */
  private static void assertNoNewLoaderThreads(Set<Thread> before) {
    Set<Thread> extra = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      extra = loaderThreads();
      extra.removeAll(before);
      if (extra.isEmpty()) {
        return;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    assertThat(extra).as("loader threads alive after close").isEmpty();
  }
}
