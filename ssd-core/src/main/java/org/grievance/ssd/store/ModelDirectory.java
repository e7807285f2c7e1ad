package org.grievance.ssd.store;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.grievance.ssd.model.SsdModel;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.spec.SsdModels;

/**
 * A trained model on disk: a checkpoint directory ({@code model-NNNN.params}, {@code
 * training-state.json}, {@code model.json}), or a model directory without training state (imported
 * weights, {@link #save}), found from whatever path the user gives: the checkpoint directory
 * itself, its {@code model.json}, or a run directory, where {@code best/} is preferred over {@code
 * last/}.
 */
public final class ModelDirectory {
  private final Path checkpoint;
  private final ModelDescription description;

  private ModelDirectory(Path checkpoint, ModelDescription description) {
    this.checkpoint = checkpoint;
    this.description = description;
  }

  /**
   * Resolves {@code path} (see the class comment) and reads the description.
   *
   * @throws NoSuchFileException if the path does not exist
   * @throws IOException if it is neither a checkpoint nor a run directory, or the checkpoint has no
   *     description
   * @throws org.grievance.ssd.spec.ModelDescriptionException if the description is invalid
   */
  public static ModelDirectory open(Path path) throws IOException {
    Path dir = resolve(path);
    Path file = dir.resolve(CheckpointFiles.DESCRIPTION_FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          "checkpoint "
              + dir
              + " has no "
              + CheckpointFiles.DESCRIPTION_FILE
              + " (trained without a model description?), so the network cannot be rebuilt");
    }
    return new ModelDirectory(dir, ModelDescription.read(file));
  }

  /** The checkpoint directory that {@code path} names. */
  public static Path resolve(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString(), null, "no such model or run directory");
    }
    if (Files.isRegularFile(path)
        && path.getFileName().toString().equals(CheckpointFiles.DESCRIPTION_FILE)) {
      path = path.toAbsolutePath().getParent();
    }
    if (!Files.isDirectory(path)) {
      throw new IOException(
          path + " is not a directory: give a run directory or a checkpoint directory");
    }
    if (Files.isRegularFile(path.resolve(CheckpointFiles.STATE_FILE))
        || Files.isRegularFile(path.resolve(CheckpointFiles.DESCRIPTION_FILE))) {
      return path;
    }
    for (String name : new String[] {CheckpointFiles.BEST, CheckpointFiles.LAST}) {
      Optional<Path> found = CheckpointFiles.locate(path, name);
      if (found.isPresent()) {
        return found.get();
      }
    }
    throw new IOException(
        path
            + " is neither a checkpoint directory (with "
            + CheckpointFiles.STATE_FILE
            + " and "
            + CheckpointFiles.DESCRIPTION_FILE
            + ") nor a run directory with "
            + CheckpointFiles.BEST
            + "/ or "
            + CheckpointFiles.LAST
            + "/");
  }

  /**
   * Writes {@code model} (whose block is the network {@code description} describes) as a model
   * directory {@code dir}: parameters and {@code model.json}, replaced atomically.
   */
  public static void save(Path dir, Model model, ModelDescription description) throws IOException {
    if (!(model.getBlock() instanceof SsdModel network) || !network.isInitialized()) {
      throw new IllegalArgumentException("model must hold an initialised SsdModel");
    }
    CheckpointFiles.writeModel(dir, model, description.toJson());
  }

  /**
   * Replaces the description in {@code model.json} by {@code updated} (atomically: a reader sees
   * the old file or the new one), e.g. with newly calibrated per-class thresholds. Only the decoder
   * defaults and the provenance may change; anything else would no longer describe the saved
   * parameters.
   *
   * @return this model directory with the new description
   * @throws IllegalArgumentException if {@code updated} describes another network
   */
  public ModelDirectory rewriteDescription(ModelDescription updated) throws IOException {
    ModelDescription sameParts =
        updated.toBuilder()
            .decoder(description.decoder())
            .provenance(description.provenance())
            .build();
    if (!sameParts.equals(description)) {
      throw new IllegalArgumentException(
          "only the decoder defaults and the provenance of "
              + checkpoint.resolve(CheckpointFiles.DESCRIPTION_FILE)
              + " may be rewritten: the rest describes the saved parameters");
    }
    updated.write(checkpoint.resolve(CheckpointFiles.DESCRIPTION_FILE));
    return new ModelDirectory(checkpoint, updated);
  }

  /** The checkpoint directory. */
  public Path checkpoint() {
    return checkpoint;
  }

  public ModelDescription description() {
    return description;
  }

  /**
   * A new DJL model holding the described network with the saved parameters, initialised for the
   * description's input size. The caller closes it.
   */
  public Model loadModel() throws IOException {
    Model model = Model.newInstance(description.architecture());
    try {
      SsdModel network = SsdModels.build(description);
      model.setBlock(network);
      network.initialize(model.getNDManager(), DataType.FLOAT32, SsdModels.inputShape(description));
      CheckpointFiles.loadParameters(model, checkpoint);
      return model;
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }
}
