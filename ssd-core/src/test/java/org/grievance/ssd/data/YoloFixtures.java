package org.grievance.ssd.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Builds tiny YOLO directories with real PNG files at test time. */
final class YoloFixtures {
  private YoloFixtures() {}

  /** Writes a black {@code width x height} PNG at {@code file}. */
  static Path png(Path file, int width, int height) {
    try {
      Files.createDirectories(file.getParent());
      if (!ImageIO.write(
          new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", file.toFile())) {
        throw new IllegalStateException("no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /**
   * A YOLO directory: classes {@code cat, dog}; {@code a.png} 100x50 with a cat and a dog, {@code
   * b.png} 40x40 without a label file, {@code c.png} 30x20 with an empty label file.
   */
  static Path simple(Path dir) {
    Fixtures.write(dir.resolve("classes.txt"), "cat\ndog\n");
    png(dir.resolve("images/a.png"), 100, 50);
    png(dir.resolve("images/b.png"), 40, 40);
    png(dir.resolve("images/c.png"), 30, 20);
    Fixtures.write(dir.resolve("labels/a.txt"), "0 0.5 0.5 0.2 0.4\n\n1 0.25 0.5 0.5 1\n");
    Fixtures.write(dir.resolve("labels/c.txt"), "");
    return dir;
  }
}
