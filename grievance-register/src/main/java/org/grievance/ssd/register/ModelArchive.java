package org.grievance.ssd.register;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.grievance.ssd.io.AtomicFiles;
import org.grievance.ssd.store.CheckpointFiles;
import org.grievance.ssd.store.ModelDirectory;

/**
 * A model's checkpoint directory as one zip, so that it can live in the content-addressed {@link
 * PhotoStore} beside the photos and reach every replica of the register. The zip is deterministic
 * (files in name order, fixed times), so the same model always has the same hash. Only the flat
 * files of the checkpoint ({@code model.json}, {@code model-NNNN.params}, {@code
 * training-state.json}) are packed; unpacking accepts nothing else (no folders, no {@code ..}).
 */
public final class ModelArchive {
  /** A file name an archive may hold: no separators, no leading dot. */
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}");

  /** The time stamped on every entry (the zip format's earliest), so archives are reproducible. */
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

  private ModelArchive() {}

  /** The checkpoint directory that {@code modelPath} names ({@link ModelDirectory}), zipped. */
  public static byte[] pack(Path modelPath) throws IOException {
    Path dir = ModelDirectory.resolve(modelPath);
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(Files::isRegularFile)
              .filter(f -> FILE_NAME.matcher(f.getFileName().toString()).matches())
              .sorted()
              .toList();
    }
    if (files.stream()
        .noneMatch(f -> f.getFileName().toString().equals(CheckpointFiles.DESCRIPTION_FILE))) {
      throw new IOException(
          dir + " has no " + CheckpointFiles.DESCRIPTION_FILE + ": not a model directory");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Path f : files) {
        ZipEntry e = new ZipEntry(f.getFileName().toString());
        e.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(e);
        Files.copy(f, zip);
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /**
   * Unpacks {@code archive} into {@code target} unless it is there already (a directory named by
   * the archive's hash never changes); the files are written to a sibling temporary folder first
   * and moved into place in one rename, so a crash leaves no half-unpacked model. Returns {@code
   * target}.
   */
  public static Path unpack(byte[] archive, Path target) throws IOException {
    if (Files.isDirectory(target)) {
      return target;
    }
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + "-");
    try {
      Set<String> seen = new HashSet<>();
      try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
        for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
          String name = e.getName();
          if (e.isDirectory() || !FILE_NAME.matcher(name).matches() || !seen.add(name)) {
            throw new IOException("model archive holds an unexpected entry '" + name + "'");
          }
          AtomicFiles.write(tmp.resolve(name), zip.readAllBytes());
        }
      }
      if (!seen.contains(CheckpointFiles.DESCRIPTION_FILE)) {
        throw new IOException("model archive has no " + CheckpointFiles.DESCRIPTION_FILE);
      }
      AtomicFiles.syncDirectory(tmp);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        // Another thread or replica on this data folder unpacked the same archive first (the
        // rename then fails with "directory not empty"); its copy has the same content.
        if (!Files.isDirectory(target)) {
          throw e;
        }
      }
      AtomicFiles.syncDirectory(parent);
      return target;
    } finally {
      deleteTree(tmp);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.forEach(paths::add);
    }
    for (int i = paths.size() - 1; i >= 0; i--) {
      Files.deleteIfExists(paths.get(i));
    }
  }
}
