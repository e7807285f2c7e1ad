package org.grievance.ssd.train;

import ai.djl.Model;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the trainer trains: a DJL model whose block maps {@code NDList(images (B,3,H,W))} to {@code
 * NDList(classLogits (B,N,C+1), boxOffsets (B,N,4))}, an extra loss term, and a description of the
 * model (architecture, anchors, classes) written into every checkpoint so that it can be rebuilt.
 * The caller owns the model and closes it.
 *
 * @param model the model; its block may be uninitialised (the trainer initialises it)
 * @param extraLoss added to the SSD loss ({@link LossTerm#NONE} for none)
 * @param description JSON written as {@code model.json} beside the parameters, or {@code null}
 * @param lrMultipliers parameter id → factor on the scheduled learning rate (absent: 1)
 */
public record TrainingModel(
    Model model,
    LossTerm extraLoss,
    Supplier<JsonNode> description,
    Map<String, Double> lrMultipliers) {
  /** Checks that model and extra loss are present. */
  public TrainingModel {
    Objects.requireNonNull(model, "model must not be null");
    Objects.requireNonNull(model.getBlock(), "model has no block");
    Objects.requireNonNull(extraLoss, "extraLoss must not be null (use LossTerm.NONE)");
    lrMultipliers = Map.copyOf(lrMultipliers == null ? Map.of() : lrMultipliers);
  }

  /** Every parameter at the scheduled rate. */
  public TrainingModel(Model model, LossTerm extraLoss, Supplier<JsonNode> description) {
    this(model, extraLoss, description, Map.of());
  }

  /** A model without extra loss or description. */
  public static TrainingModel of(Model model) {
    return new TrainingModel(model, LossTerm.NONE, null);
  }
}
