package org.grievance.ssd.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The images named on a command line: files as given, directories scanned recursively for {@code
 * jpg/jpeg/png/webp/bmp/gif} files, and for {@code heic/heif/avif} files so that they are reported
 * as unsupported rather than silently skipped (sorted, so runs are repeatable). Each image gets the
 * relative name its output keeps: the file name for a file argument, the path below the directory
 * for a scanned one.
 */
public final class ImageInputs {
  /** File extensions picked up when scanning a directory. */
  static final Set<String> EXTENSIONS =
      Set.of("jpg", "jpeg", "png", "webp", "bmp", "gif", "heic", "heif", "avif");

  /** One image and the name its outputs keep. */
  public record Input(Path file, Path relative) {}

  private ImageInputs() {}

  /**
   * The images of {@code args}, skipping everything below {@code exclude} (the output directory,
   * which may lie inside a scanned one).
   *
   * @throws NoSuchFileException for an argument that does not exist
   */
  public static List<Input> collect(List<Path> args, Path exclude) throws IOException {
    Path excluded = exclude == null ? null : exclude.toAbsolutePath().normalize();
    List<Input> out = new ArrayList<>();
    for (Path arg : args) {
      if (Files.isDirectory(arg)) {
        try (Stream<Path> s = Files.walk(arg)) {
          for (Path f :
              s.filter(Files::isRegularFile)
                  .filter(ImageInputs::hasImageExtension)
                  .filter(
                      f -> excluded == null || !f.toAbsolutePath().normalize().startsWith(excluded))
                  .sorted()
                  .toList()) {
            out.add(new Input(f, arg.relativize(f)));
          }
        }
      } else if (Files.isRegularFile(arg)) {
        out.add(new Input(arg, arg.getFileName()));
      } else {
        throw new NoSuchFileException(arg.toString(), null, "no such image or directory");
      }
    }
    return out;
  }

  public static boolean hasImageExtension(Path file) {
    return EXTENSIONS.contains(extension(file));
  }

  /** The lower-case extension without the dot, or "" if none. */
  public static String extension(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
