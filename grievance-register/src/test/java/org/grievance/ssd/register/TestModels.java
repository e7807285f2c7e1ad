package org.grievance.ssd.register;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.grievance.ssd.decode.DecoderKind;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.spec.DecoderDefaults;
import org.grievance.ssd.testing.TinyModels;

/**
 * The service tests' model and photos: the shared tiny SSD7 ({@link TinyModels}) with the
 * register's classes, saved as a run directory. Its decoder keeps every box (confidence 0, top 20),
 * so every image yields detections of both classes and the tagging path is exercised without a
 * trained model.
 */
final class TestModels {
  static final List<String> CLASSES = List.of("pothole", "graffiti");

  private TestModels() {}

  static Path create(Path runDir) throws IOException {
    return create(runDir, CLASSES, 7);
  }

  /** Another model: {@code classes}, weights from {@code seed} (7 is {@link #create(Path)}'s). */
  static Path create(Path runDir, List<String> classes, long seed) throws IOException {
    return TinyModels.run(
        runDir,
        TinyModels.ssd7(classes)
            .withDecoder(new DecoderDefaults(DecoderKind.PER_CLASS, 0.0, 0.45, 20)),
        seed);
  }

  /** A JPEG of coloured blobs. */
  static byte[] jpeg(int height, int width, long seed) throws IOException {
    return ImageFiles.jpegBytes(blobs(height, width, seed), 0.9f);
  }

  static RgbImage blobs(int height, int width, long seed) {
    java.util.Random rnd = new java.util.Random(seed);
    byte[] px = new byte[height * width * 3];
    int cx = rnd.nextInt(width);
    int cy = rnd.nextInt(height);
    int r = 5 + rnd.nextInt(Math.max(1, Math.min(height, width) / 3));
    int c0 = rnd.nextInt(256);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int k = (y * width + x) * 3;
        boolean in = (x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r;
        px[k] = (byte) (in ? c0 : 60);
        px[k + 1] = (byte) (in ? 255 - c0 : 90);
        px[k + 2] = (byte) (in ? 30 : (x * 255 / width));
      }
    }
    return new RgbImage(height, width, px);
  }
}
