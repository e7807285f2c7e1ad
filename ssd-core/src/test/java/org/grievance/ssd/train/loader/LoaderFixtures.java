package org.grievance.ssd.train.loader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.anchor.AnchorGenerator;
import org.grievance.ssd.data.ObjectBox;
import org.grievance.ssd.data.Sample;
import org.grievance.ssd.encode.EncoderConfig;
import org.grievance.ssd.encode.SsdInputEncoder;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.train.Batch;

/** Small lossless (PNG) images with known pixels and boxes, and an SSD7 encoder for 96×128. */
final class LoaderFixtures {
  static final int H = 96;
  static final int W = 128;
  static final int CLASSES = 5;

  private LoaderFixtures() {}

  static SsdInputEncoder encoder() {
    return encoder(H, W);
  }

  static SsdInputEncoder encoder(int height, int width) {
    return new SsdInputEncoder(
        AnchorGenerator.generate(AnchorConfig.ssd7(height, width)),
        EncoderConfig.builder(CLASSES).build());
  }

  /**
   * Image {@code i}: red {@code 37·i + x} (so the top-left red value identifies the image), green
   * {@code 3·y}, blue {@code x + y}.
   */
  static RgbImage image(int i, int height, int width) {
    byte[] px = new byte[height * width * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int o = (y * width + x) * 3;
        px[o] = (byte) (37 * i + x);
        px[o + 1] = (byte) (3 * y);
        px[o + 2] = (byte) (x + y);
      }
    }
    return new RgbImage(height, width, px);
  }

  /** Which fixture image a planar batch image is (by its top-left red value). */
  static int identify(Batch batch, int k) {
    int red = (int) batch.images()[k * 3 * batch.imageHeight() * batch.imageWidth()];
    for (int i = 0; i < 256; i++) {
      if (((37 * i) & 0xFF) == red) {
        return i;
      }
    }
    throw new AssertionError("unknown image with red " + red);
  }

  /** Two boxes inside the image, classes depending on {@code i}. */
  static List<ObjectBox> boxes(int i, int height, int width) {
    double sy = height / (double) H;
    double sx = width / (double) W;
    return List.of(
        ObjectBox.of(1 + i % CLASSES, (8 + i) * sx, 10 * sy, (60 + i) * sx, 70 * sy),
        ObjectBox.of(1 + (i + 2) % CLASSES, 70 * sx, 30 * sy, 120 * sx, 90 * sy));
  }

  /** {@code count} images of {@code height × width} written as PNGs into {@code dir}. */
  static List<Sample> write(Path dir, int count, int height, int width, int... withoutObjects)
      throws IOException {
    Files.createDirectories(dir);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Path file = dir.resolve(String.format("img_%03d.png", i));
      ImageFiles.writePng(image(i, height, width), file);
      int index = i;
      boolean empty = Arrays.stream(withoutObjects).anyMatch(e -> e == index);
      samples.add(
          new Sample("img_" + i, file, width, height, empty ? List.of() : boxes(i, height, width)));
    }
    return samples;
  }

  /** A deep copy (the loader recycles batch arrays). */
  static Batch copy(Batch b) {
    return new Batch(
        b.size(),
        b.imageHeight(),
        b.imageWidth(),
        b.anchorCount(),
        b.images().clone(),
        b.classIds().clone(),
        b.offsets().clone());
  }

  /** Every batch of one epoch, copied. */
  static List<Batch> epoch(DetectionBatchSource source, long seed) {
    List<Batch> out = new ArrayList<>();
    var it = source.epoch(seed);
    while (it.hasNext()) {
      out.add(copy(it.next()));
    }
    return out;
  }

  /** The fixture image ids of an epoch's batches, in order. */
  static List<Integer> ids(List<Batch> batches) {
    List<Integer> ids = new ArrayList<>();
    for (Batch b : batches) {
      for (int k = 0; k < b.size(); k++) {
        ids.add(identify(b, k));
      }
    }
    return ids;
  }
}
