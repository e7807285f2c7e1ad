package org.grievance.ssd.store;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.grievance.ssd.io.AtomicFiles;

/**
 * The layout of a saved model on disk and its atomic replacement. A checkpoint directory ({@code
 * RUN_DIR/last}, {@code RUN_DIR/best}) holds the DJL parameters ({@code model-NNNN.params} from
 * {@link Model#save}), {@code model.json} and, when training wrote it, {@code training-state.json};
 * a model directory (imported or converted weights) holds only the first two. Training and
 * inference both read this layout, so it lives below both.
 *
 * <p>A directory cannot be renamed over a non-empty one, so replacement takes two renames; the
 * invariant is that every directory named {@code NAME} or {@code .NAME.prev} is complete:
 *
 * <ol>
 *   <li>everything is written into {@code .NAME.tmp} (a leftover one from a crash is deleted
 *       first), every file and the directory are forced to disk, and the file that marks the
 *       directory complete ({@code training-state.json}, or {@code model.json} without training
 *       state) is written last;
 *   <li>the old {@code NAME} is renamed to {@code .NAME.prev};
 *   <li>{@code .NAME.tmp} is renamed to {@code NAME};
 *   <li>{@code .NAME.prev} is deleted.
 * </ol>
 *
 * A crash in step 1 leaves only a {@code .tmp} directory, which no reader uses. A crash between 2
 * and 3 leaves no {@code NAME} but a complete {@code .NAME.prev}, which {@link #locate} renames
 * back. A crash in 4 leaves a stale {@code .prev} that the next write or {@link #locate} removes.
 */
public final class CheckpointFiles {
  /** The checkpoint of the latest finished epoch. */
  public static final String LAST = "last";

  /** The checkpoint with the best monitored loss. */
  public static final String BEST = "best";

  /** The training state; written last, so its presence marks a complete checkpoint. */
  public static final String STATE_FILE = "training-state.json";

  /** The model description. */
  public static final String DESCRIPTION_FILE = "model.json";

  /** Parameter files are {@code model-NNNN.params} whatever the model's name. */
  static final String PARAMS_PREFIX = "model";

  /** Writes the files of a directory being replaced. */
  @FunctionalInterface
  public interface Contents {
    /** Writes into the new directory {@code dir}, the file that marks it complete last. */
    void writeTo(Path dir) throws IOException;
  }

  private CheckpointFiles() {}

  /**
   * Replaces directory {@code name} of {@code runDir} by what {@code contents} writes, atomically.
   */
  public static void replace(Path runDir, String name, Contents contents) throws IOException {
    Path tmp = prepareTemp(runDir, name);
    contents.writeTo(tmp);
    commit(runDir, name, tmp);
  }

  /** Saves the parameters of {@code model} into {@code dir}, numbered by {@code epoch}. */
  public static void saveParameters(Model model, Path dir, int epoch) throws IOException {
    model.setProperty("Epoch", Integer.toString(epoch));
    model.save(dir, PARAMS_PREFIX);
  }

  /** Writes {@code value} as JSON with the {@link CheckpointJson} settings. */
  public static void writeJson(Path file, Object value) throws IOException {
    Files.write(file, CheckpointJson.MAPPER.writeValueAsBytes(value));
  }

  /**
   * Writes a model directory {@code dir} holding only the parameters and {@code model.json} (no
   * training state): an imported or converted model that {@link ModelDirectory} opens like a
   * checkpoint. Replaced atomically like a checkpoint; the description is written last and marks
   * the directory complete.
   */
  public static void writeModel(Path dir, Model model, JsonNode description) throws IOException {
    if (description == null) {
      throw new IllegalArgumentException("a model directory needs its description");
    }
    Path absolute = dir.toAbsolutePath().normalize();
    replace(
        absolute.getParent(),
        absolute.getFileName().toString(),
        tmp -> {
          saveParameters(model, tmp, 0);
          writeJson(tmp.resolve(DESCRIPTION_FILE), description);
        });
  }

  /** Replaces checkpoint {@code target} by a copy of the complete checkpoint {@code source}. */
  public static void copy(Path runDir, String source, String target) throws IOException {
    Path from =
        locate(runDir, source)
            .orElseThrow(() -> new NoSuchFileException(runDir.resolve(source).toString()));
    replace(
        runDir,
        target,
        tmp -> {
          for (Path file : list(from)) {
            Files.copy(file, tmp.resolve(file.getFileName()));
          }
        });
  }

  /**
   * The complete checkpoint directory {@code name}, after repairing an interrupted replacement;
   * empty if there is none.
   */
  public static Optional<Path> locate(Path runDir, String name) throws IOException {
    Path dir = runDir.resolve(name);
    Path prev = runDir.resolve("." + name + ".prev");
    if (!Files.isDirectory(dir) && Files.isDirectory(prev)) {
      move(prev, dir);
    }
    if (Files.isDirectory(prev)) {
      AtomicFiles.deleteRecursively(prev);
    }
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    if (!Files.isRegularFile(dir.resolve(STATE_FILE))
        && !Files.isRegularFile(dir.resolve(DESCRIPTION_FILE))) {
      throw new IOException(
          "checkpoint "
              + dir
              + " has no "
              + STATE_FILE
              + " and no "
              + DESCRIPTION_FILE
              + " (not written by us?)");
    }
    return Optional.of(dir);
  }

  /** Loads the saved parameters into {@code model}, whose block must have the same structure. */
  public static void loadParameters(Model model, Path checkpointDir) throws IOException {
    try {
      model.load(checkpointDir, PARAMS_PREFIX);
    } catch (MalformedModelException e) {
      throw new IOException("cannot load parameters from " + checkpointDir + ": " + e, e);
    }
  }

  /**
   * True when checkpoints {@code a} and {@code b} hold the same parameter files, byte for byte (as
   * {@link #copy} leaves {@code best/} when the last epoch was the best).
   */
  public static boolean sameParameters(Path a, Path b) throws IOException {
    List<Path> pa = parameterFiles(a);
    List<Path> pb = parameterFiles(b);
    if (pa.isEmpty() || pa.size() != pb.size()) {
      return false;
    }
    for (int i = 0; i < pa.size(); i++) {
      if (!pa.get(i).getFileName().equals(pb.get(i).getFileName())
          || Files.mismatch(pa.get(i), pb.get(i)) != -1) {
        return false;
      }
    }
    return true;
  }

  private static List<Path> parameterFiles(Path dir) throws IOException {
    return list(dir).stream()
        .filter(
            p -> {
              String n = p.getFileName().toString();
              return n.startsWith(PARAMS_PREFIX + "-") && n.endsWith(".params");
            })
        .toList();
  }

  private static Path prepareTemp(Path runDir, String name) throws IOException {
    Files.createDirectories(runDir);
    locate(runDir, name); // repair first, so that step 2 never loses the only complete copy
    Path tmp = runDir.resolve("." + name + ".tmp");
    AtomicFiles.deleteRecursively(tmp);
    Files.createDirectories(tmp);
    return tmp;
  }

  private static void commit(Path runDir, String name, Path tmp) throws IOException {
    for (Path file : list(tmp)) {
      force(file, false);
    }
    force(tmp, true);
    Path dir = runDir.resolve(name);
    Path prev = runDir.resolve("." + name + ".prev");
    if (Files.isDirectory(dir)) {
      move(dir, prev);
    }
    move(tmp, dir);
    force(runDir, true);
    AtomicFiles.deleteRecursively(prev);
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  /** Flushes a file (or, where the platform allows, a directory entry list) to disk. */
  private static void force(Path path, boolean directory) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      if (!directory) {
        throw e;
      }
      // Some platforms cannot open directories; the renames are still atomic there.
    }
  }
}
