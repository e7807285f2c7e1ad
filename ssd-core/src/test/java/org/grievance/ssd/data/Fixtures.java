package org.grievance.ssd.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Test fixtures under {@code src/test/resources/data} and helpers to make broken copies. */
final class Fixtures {
  private Fixtures() {}

  /** {@code data/<name>} on the test class path. */
  static Path path(String name) {
    URL url = Fixtures.class.getResource("/data/" + name);
    if (url == null) {
      throw new IllegalStateException("missing test resource data/" + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies the fixture {@code data/<name>} (a directory) into {@code target} and returns it. */
  static Path copy(String name, Path target) {
    Path src = path(name);
    try (Stream<Path> all = Files.walk(src)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path dst = target.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(p, dst);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  static Path write(Path file, List<String> lines) {
    return write(file, String.join("\n", lines) + "\n");
  }
}
