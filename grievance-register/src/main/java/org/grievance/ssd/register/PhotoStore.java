package org.grievance.ssd.register;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.grievance.ssd.io.AtomicFiles;

/**
 * Photos on disk, content-addressed: a file's name is the SHA-256 of its bytes ({@code
 * ab/abcdef…}), so the same photo submitted twice is stored once and a name can never point at
 * other content. Files are written atomically and forced to disk <em>before</em> the database row
 * that references them is committed; a crash in between leaves at worst an unreferenced file, never
 * a reference to a missing or half-written one.
 */
public final class PhotoStore {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final Path root;

  public PhotoStore(Path root) {
    this.root = root;
  }

  /** SHA-256 of {@code bytes} as lower-case hex. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Stores {@code bytes} (unless already there) and returns their hash. A file already there gets
   * the current time as its modification time: the request about to reference it is in flight, and
   * {@link OrphanPhotos} leaves recently modified files alone.
   */
  public String put(byte[] bytes) throws IOException {
    String hash = sha256(bytes);
    Path file = path(hash);
    if (!Files.exists(file) || Files.size(file) != bytes.length) {
      AtomicFiles.write(file, bytes);
    } else {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    }
    return hash;
  }

  /**
   * The hashes of the stored photos in ascending order, one two-character folder at a time (so that
   * at most one folder's names are in memory); temporary and foreign files are skipped. The caller
   * closes the stream.
   */
  public Stream<String> hashes() throws IOException {
    if (!Files.isDirectory(root)) {
      return Stream.empty();
    }
    List<Path> folders;
    try (Stream<Path> s = Files.list(root)) {
      folders =
          s.filter(Files::isDirectory)
              .filter(d -> d.getFileName().toString().matches("[0-9a-f]{2}"))
              .sorted()
              .toList();
    }
    return folders.stream()
        .flatMap(
            d -> {
              try (Stream<Path> s = Files.list(d)) {
                return s
                    .map(f -> f.getFileName().toString())
                    .filter(n -> SHA256.matcher(n).matches())
                    .sorted()
                    .toList()
                    .stream();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  /** Where the photo with this hash lives. */
  public Path path(String hash) {
    if (!SHA256.matcher(hash).matches()) {
      throw new IllegalArgumentException("not a SHA-256 hex digest: " + hash);
    }
    return root.resolve(hash.substring(0, 2)).resolve(hash);
  }

  /** The stored bytes of {@code hash}. */
  public byte[] read(String hash) throws IOException {
    return Files.readAllBytes(path(hash));
  }

  /** The stored photo as a stream, so serving it does not hold the whole file in memory. */
  public java.io.InputStream open(String hash) throws IOException {
    return Files.newInputStream(path(hash));
  }

  /**
   * Deletes temporary files left by a process killed in the middle of a write (the atomic writer
   * removes its own otherwise); returns how many.
   */
  public int sweepTemporaryFiles() throws IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int n = 0;
    try (Stream<Path> files = Files.walk(root, 2)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (Files.isRegularFile(p) && name.startsWith(".") && name.endsWith(".tmp")) {
          Files.deleteIfExists(p);
          n++;
        }
      }
    }
    return n;
  }
}
