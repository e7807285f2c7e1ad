package org.grievance.ssd.train;

import ai.djl.Model;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.grievance.ssd.store.CheckpointFiles;
import org.grievance.ssd.store.CheckpointJson;

/**
 * The training checkpoints of a run directory ({@code RUN_DIR/last}, {@code RUN_DIR/best}): the
 * parameters, the caller's {@code model.json} and the loop's {@link TrainingState} in {@code
 * training-state.json}, laid out and replaced atomically as {@link CheckpointFiles} describes. The
 * state is the loop's own, so reading and writing it lives here, above the layout that inference
 * shares; the names and the other operations are {@link CheckpointFiles}', repeated so that the
 * loop speaks of one class.
 */
public final class Checkpoints {
  /** {@link CheckpointFiles#LAST}. */
  public static final String LAST = CheckpointFiles.LAST;

  /** {@link CheckpointFiles#BEST}. */
  public static final String BEST = CheckpointFiles.BEST;

  private Checkpoints() {}

  /**
   * Writes checkpoint {@code name} of {@code runDir} atomically, the state last; {@code
   * description} may be {@code null}.
   */
  public static void write(
      Path runDir, String name, Model model, TrainingState state, JsonNode description)
      throws IOException {
    CheckpointFiles.replace(
        runDir,
        name,
        dir -> {
          CheckpointFiles.saveParameters(model, dir, state.epochsCompleted());
          if (description != null) {
            CheckpointFiles.writeJson(dir.resolve(CheckpointFiles.DESCRIPTION_FILE), description);
          }
          CheckpointFiles.writeJson(dir.resolve(CheckpointFiles.STATE_FILE), state);
        });
  }

  /** The state saved in a checkpoint directory. */
  public static TrainingState readState(Path checkpointDir) throws IOException {
    Path file = checkpointDir.resolve(CheckpointFiles.STATE_FILE);
    TrainingState state = CheckpointJson.MAPPER.readValue(file.toFile(), TrainingState.class);
    if (state.formatVersion() != TrainingState.FORMAT_VERSION) {
      throw new IOException(
          file
              + ": unsupported formatVersion "
              + state.formatVersion()
              + ", expected "
              + TrainingState.FORMAT_VERSION);
    }
    return state;
  }

  /** {@link CheckpointFiles#locate}. */
  public static Optional<Path> locate(Path runDir, String name) throws IOException {
    return CheckpointFiles.locate(runDir, name);
  }

  /** {@link CheckpointFiles#copy}. */
  public static void copy(Path runDir, String source, String target) throws IOException {
    CheckpointFiles.copy(runDir, source, target);
  }

  /** {@link CheckpointFiles#loadParameters}. */
  public static void loadParameters(Model model, Path checkpointDir) throws IOException {
    CheckpointFiles.loadParameters(model, checkpointDir);
  }
}
