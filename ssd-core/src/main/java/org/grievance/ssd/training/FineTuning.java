package org.grievance.ssd.training;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grievance.ssd.model.SsdModel;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.spec.SsdModels;
import org.grievance.ssd.store.CheckpointFiles;
import org.grievance.ssd.store.ModelDirectory;
import org.grievance.ssd.train.TrainingModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transfer learning settings for a new run: start from a model directory's weights (imported or
 * trained, classes adapted with {@code ClassSampling}), freeze layers, and scale the learning rate
 * per layer. Layers are chosen by the reference's names or name prefixes ({@code conv1_}, {@code
 * conv4_3_norm_mbox_conf}); a prefix that matches no layer is an error, so a typo cannot silently
 * freeze nothing.
 *
 * @param init model directory whose parameters the run starts from, or {@code null} for fresh ones
 * @param freeze name prefixes of layers whose parameters are not trained (batch normalisation's
 *     moving statistics still follow the data, as in the Keras 2 of the reference)
 * @param lrMultipliers name prefix → factor applied to the learning rate of matching layers' (the
 *     longest matching prefix wins)
 */
public record FineTuning(Path init, List<String> freeze, Map<String, Double> lrMultipliers) {
  private static final Logger LOG = LoggerFactory.getLogger(FineTuning.class);

  public FineTuning {
    freeze = List.copyOf(freeze == null ? List.of() : freeze);
    lrMultipliers = Map.copyOf(lrMultipliers == null ? Map.of() : lrMultipliers);
    for (String p : freeze) {
      if (p == null || p.isBlank()) {
        throw new IllegalArgumentException("freeze prefixes must not be blank, got " + freeze);
      }
    }
    for (Map.Entry<String, Double> e : lrMultipliers.entrySet()) {
      if (e.getKey().isBlank() || !(e.getValue() >= 0) || e.getValue().isInfinite()) {
        throw new IllegalArgumentException(
            "learning-rate multiplier for '"
                + e.getKey()
                + "' must be finite and >= 0, got "
                + e.getValue());
      }
    }
  }

  /** Plain training: fresh weights, everything trained at the scheduled rate. */
  public static FineTuning none() {
    return new FineTuning(null, List.of(), Map.of());
  }

  /** Whether this changes anything. */
  public boolean isNone() {
    return init == null && freeze.isEmpty() && lrMultipliers.isEmpty();
  }

  /**
   * Initialises {@code tm}'s network (seeded), loads {@code init}, freezes and returns the model
   * with its learning-rate multipliers; what {@link DetectorTraining} does before a new run.
   */
  TrainingModel prepare(TrainingModel tm, ModelDescription description, long seed)
      throws IOException {
    if (isNone()) {
      return tm;
    }
    Model model = tm.model();
    if (!(model.getBlock() instanceof SsdModel network)) {
      throw new IllegalArgumentException("fine-tuning needs an SsdModel block");
    }
    model.getNDManager().getEngine().setRandomSeed((int) seed);
    if (!network.isInitialized()) {
      network.initialize(
          model.getNDManager(), model.getDataType(), SsdModels.inputShape(description));
    }
    loadInit(model, description);
    Map<String, Double> multipliers = multipliersById(network);
    List<String> frozen = frozenLayers(network);
    if (!frozen.isEmpty()) {
      LOG.info("Frozen layers: {}", frozen);
    }
    for (String layer : frozen) {
      for (Parameter p : network.layer(layer).getParameters().values()) {
        multipliers.put(p.getId(), 0.0);
      }
    }
    return new TrainingModel(model, tm.extraLoss(), tm.description(), multipliers);
  }

  /**
   * Loads {@code init} into the initialised {@code model} after checking that it was made for
   * {@code description} (same architecture, input size and classes).
   */
  void loadInit(Model model, ModelDescription description) throws IOException {
    if (init == null) {
      return;
    }
    ModelDirectory dir = ModelDirectory.open(init);
    ModelDescription d = dir.description();
    if (!d.architecture().equals(description.architecture())
        || d.inputHeight() != description.inputHeight()
        || d.inputWidth() != description.inputWidth()
        || !d.classNames().equals(description.classNames())) {
      throw new IllegalArgumentException(
          "--init "
              + init
              + " is "
              + d.architecture()
              + " "
              + d.inputHeight()
              + "x"
              + d.inputWidth()
              + " with classes "
              + d.classNames()
              + " but the run trains "
              + description.architecture()
              + " "
              + description.inputHeight()
              + "x"
              + description.inputWidth()
              + " with classes "
              + description.classNames()
              + " (adapt the classes with 'ssd weights subsample')");
    }
    CheckpointFiles.loadParameters(model, dir.checkpoint());
  }

  /**
   * The layers of {@code model} that {@link #freeze} selects, in model order. They are frozen by a
   * zero learning rate, not by DJL's {@code Parameter.freeze}: with DJL 0.36 a frozen parameter
   * still moved during training (FineTuningTest), while a zero rate keeps SGD with momentum and
   * Adam from changing it at all.
   */
  List<String> frozenLayers(SsdModel model) {
    List<String> frozen = new ArrayList<>();
    for (Map.Entry<String, Block> e : matching(model, freeze).entrySet()) {
      frozen.add(e.getKey());
    }
    return frozen;
  }

  /** Parameter id → learning-rate factor for the layers with a multiplier. */
  Map<String, Double> multipliersById(SsdModel model) {
    Map<String, Double> byId = new HashMap<>();
    List<String> prefixes = new ArrayList<>(lrMultipliers.keySet());
    matching(model, prefixes); // fails on a prefix matching nothing
    for (Map.Entry<String, Block> e : model.layers().entrySet()) {
      String best = null;
      for (String p : prefixes) {
        if (e.getKey().startsWith(p) && (best == null || p.length() > best.length())) {
          best = p;
        }
      }
      if (best != null) {
        for (Parameter p : e.getValue().getParameters().values()) {
          byId.put(p.getId(), lrMultipliers.get(best));
        }
      }
    }
    return byId;
  }

  private static Map<String, Block> matching(SsdModel model, List<String> prefixes) {
    Map<String, Block> out = new LinkedHashMap<>();
    for (String prefix : prefixes) {
      boolean any = false;
      for (Map.Entry<String, Block> e : model.layers().entrySet()) {
        if (e.getKey().startsWith(prefix)) {
          out.put(e.getKey(), e.getValue());
          any = true;
        }
      }
      if (!any) {
        throw new IllegalArgumentException(
            "no layer name starts with '" + prefix + "'; layers are " + model.layers().keySet());
      }
    }
    Map<String, Block> ordered = new LinkedHashMap<>();
    for (Map.Entry<String, Block> e : model.layers().entrySet()) {
      if (out.containsKey(e.getKey())) {
        ordered.put(e.getKey(), e.getValue());
      }
    }
    return ordered;
  }
}
