package org.grievance.ssd.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.grievance.ssd.anchor.FeatureMapSize;
import org.grievance.ssd.model.BaseNetwork;
import org.grievance.ssd.model.FeatureMapShape;
import org.grievance.ssd.model.PredictorSpec;
import org.grievance.ssd.model.SsdHeads;
import org.grievance.ssd.model.SsdModel;

/**
 * An {@link SsdModels.Architecture} made from nothing but a {@link BaseNetwork}: the predictor
 * geometry is the base's {@link BaseNetwork#featureMapShapes feature maps}, and the heads put one
 * class and one box convolution on each, named {@code classes_<map>} and {@code boxes_<map>} after
 * the feature map. The anchors, encoder, loss, decoder and model directory follow from the
 * description, so a new backbone needs no other code. Subclass it to change the default description
 * ({@link #defaultDescription}) or register an instance as is:
 *
 * <pre>{@code
 * SsdModels.register(new BaseNetworkArchitecture("tiny", TinyBase::new));
 * }</pre>
 */
public class BaseNetworkArchitecture implements SsdModels.Architecture {
  private final String name;
  private final Supplier<? extends BaseNetwork> base;

  /**
   * @param name the registry name, lower case
   * @param base makes a new, uninitialised base network each call
   */
  public BaseNetworkArchitecture(String name, Supplier<? extends BaseNetwork> base) {
    if (name == null || name.isBlank() || !name.equals(name.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "architecture names must be non-blank lower case, got '" + name + "'");
    }
    this.name = name;
    this.base = Objects.requireNonNull(base, "base");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<FeatureMapSize> featureMaps(int height, int width) {
    List<FeatureMapSize> sizes = new ArrayList<>();
    for (FeatureMapShape m : newBase().featureMapShapes(height, width)) {
      sizes.add(new FeatureMapSize(m.height(), m.width()));
    }
    return List.copyOf(sizes);
  }

  @Override
  public SsdModel build(ModelDescription description) {
    BaseNetwork network = newBase();
    List<FeatureMapShape> maps =
        network.featureMapShapes(description.inputHeight(), description.inputWidth());
    return new SsdModel(
        description.preprocessing(),
        network,
        heads(maps, description.boxesPerCell(), description.classCount()));
  }

  /**
   * Heads named after the feature maps: {@code classes_<map>} and {@code boxes_<map>}; uses {@link
   * SsdHeads} ({@link #build} can be overridden for other heads, as SSDLite does).
   */
  protected SsdHeads heads(List<FeatureMapShape> maps, List<Integer> boxesPerCell, int classes) {
    return new SsdHeads(predictors(maps, boxesPerCell), classes);
  }

  /** One predictor per feature map, named after it. */
  public static List<PredictorSpec> predictors(
      List<FeatureMapShape> maps, List<Integer> boxesPerCell) {
    if (maps.size() != boxesPerCell.size()) {
      throw new IllegalArgumentException(
          "boxesPerCell has "
              + boxesPerCell.size()
              + " entries for "
              + maps.size()
              + " feature maps "
              + maps);
    }
    List<PredictorSpec> predictors = new ArrayList<>(maps.size());
    for (int i = 0; i < maps.size(); i++) {
      String map = maps.get(i).name();
      predictors.add(new PredictorSpec("classes_" + map, "boxes_" + map, boxesPerCell.get(i)));
    }
    return predictors;
  }

  private BaseNetwork newBase() {
    BaseNetwork network = base.get();
    if (network == null) {
      throw new IllegalStateException("the base network supplier of " + name + " returned null");
    }
    return network;
  }

  @Override
  public String toString() {
    return "BaseNetworkArchitecture[" + name + "]";
  }
}
