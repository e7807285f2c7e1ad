package org.grievance.ssd.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.io.AtomicFiles;

/**
 * Saves and loads a network's parameters (DJL's parameter encoding) behind a small header listing
 * every parameter's name and shape, so loading into a different architecture fails with a message
 * naming the first mismatch instead of mis-assigning arrays. Files are written atomically.
 */
public final class ModelWeights {
  private static final int MAGIC = 0x53534457; // "SSDW"
  private static final int FORMAT_VERSION = 1;

  private ModelWeights() {}

  /** Writes the parameters of the initialised {@code block} to {@code file}. */
  public static void save(Block block, Path file) throws IOException {
    List<String> signature = signature(block);
    AtomicFiles.write(
        file,
        raw -> {
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw));
          out.writeInt(MAGIC);
          out.writeInt(FORMAT_VERSION);
          out.writeInt(signature.size());
          for (String entry : signature) {
            out.writeUTF(entry);
          }
          block.saveParameters(out);
          out.flush();
        });
  }

  /**
   * Replaces the parameters of the initialised {@code block} (built like the saved one) with those
   * in {@code file}; the new arrays live in {@code manager}, the replaced ones are closed.
   */
  public static void load(Block block, NDManager manager, Path file) throws IOException {
    List<String> expected = signature(block);
    List<NDArray> previous = new ArrayList<>();
    for (Parameter p : block.getParameters().values()) {
      previous.add(p.getArray());
    }
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(file + " is not an SSD weights file (bad magic number)");
      }
      int version = in.readInt();
      if (version != FORMAT_VERSION) {
        throw new IOException(
            file + " has weights format version " + version + ", expected " + FORMAT_VERSION);
      }
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        String actual = in.readUTF();
        String wanted = i < expected.size() ? expected.get(i) : "(nothing)";
        if (!actual.equals(wanted)) {
          throw new IOException(
              file
                  + " was written for a different network: parameter "
                  + i
                  + " is '"
                  + actual
                  + "' in the file but '"
                  + wanted
                  + "' in the model");
        }
      }
      if (count != expected.size()) {
        throw new IOException(
            file
                + " holds "
                + count
                + " parameters but the model has "
                + expected.size()
                + "; first missing: '"
                + expected.get(count)
                + "'");
      }
      block.loadParameters(manager, in);
    } catch (MalformedModelException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    List<Parameter> params = new ArrayList<>(block.getParameters().values());
    for (int i = 0; i < params.size(); i++) {
      Parameter p = params.get(i);
      if (p.requiresGradient()) {
        // DJL's loader does not restore this flag; training after a load needs it.
        p.getArray().setRequiresGradient(true);
      }
      NDArray old = previous.get(i);
      if (old != p.getArray()) {
        old.close();
      }
    }
  }

  /** {@code "<path name> <shape>"} for every parameter, in DJL's save order. */
  static List<String> signature(Block block) {
    if (!block.isInitialized()) {
      throw new IllegalStateException("initialize the network before saving or loading weights");
    }
    List<String> entries = new ArrayList<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      entries.add(p.getKey() + " " + p.getValue().getShape());
    }
    return entries;
  }
}
