package org.grievance.ssd.register;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.grievance.ssd.io.AtomicFiles;

/**
 * The photo store in a folder (the default, {@code DATA/photos}): a file per photo at {@code
 * ab/abcdef…}. Files are written atomically and forced to disk before {@link #put} returns. Several
 * replicas may share the folder (a network file system) as long as it gives atomic renames.
 */
public final class FolderPhotoStore implements PhotoStore {
  private final Path root;

  public FolderPhotoStore(Path root) {
    this.root = root;
  }

  /** The folder, for messages. */
  @Override
  public String describe() {
    return "folder " + root;
  }

  /**
   * Stores {@code bytes} (unless already there) and returns their hash. A file already there gets
   * the current time as its modification time: the request about to reference it is in flight, and
   * {@link OrphanPhotos} leaves recently modified files alone.
   */
  @Override
  public String put(byte[] bytes) throws IOException {
    String hash = PhotoStore.sha256(bytes);
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
  @Override
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
                    .filter(PhotoStore::isHash)
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
    return root.resolve(PhotoStore.key(hash));
  }

  @Override
  public byte[] read(String hash) throws IOException {
    return Files.readAllBytes(path(hash));
  }

  @Override
  public InputStream open(String hash) throws IOException {
    return Files.newInputStream(path(hash));
  }

  @Override
  public boolean exists(String hash) {
    return Files.isRegularFile(path(hash));
  }

  @Override
  public long deleteIfOlder(String hash, Instant cutoff) throws IOException {
    Path file = path(hash);
    try {
      if (!Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
        return -1;
      }
      long size = Files.size(file);
      return Files.deleteIfExists(file) ? size : -1;
    } catch (NoSuchFileException e) {
      return -1; // another replica swept it first
    }
  }

  /**
   * Deletes temporary files left by a process killed in the middle of a write (the atomic writer
   * removes its own otherwise); returns how many.
   */
  @Override
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
