package org.grievance.ssd.spec;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.anchor.FeatureMapSize;
import org.grievance.ssd.anchor.PredictorGeometry;
import org.grievance.ssd.model.InputPreprocessing;
import org.grievance.ssd.model.Ssd7;
import org.grievance.ssd.model.SsdModel;
import org.grievance.ssd.model.VggSsd;
import org.grievance.ssd.model.VggSsdBase;

/**
 * Builds the network a {@link ModelDescription} describes. Architectures are looked up by name in a
 * registry, so that new ones (SSD300, SSD512, custom backbones) plug in with {@link #register}
 * without touching the description or the loaders.
 */
public final class SsdModels {
  /** The name of {@link Ssd7}. */
  public static final String SSD7 = "ssd7";

  /** The name of SSD300 ({@link VggSsd}). */
  public static final String SSD300 = "ssd300";

  /** The name of SSD512 ({@link VggSsd}). */
  public static final String SSD512 = "ssd512";

  /** One architecture: its predictor geometry and how to build it. */
  public interface Architecture {
    /** The name used in model descriptions, lower case. */
    String name();

    /**
     * The feature maps the predictor layers see for an {@code height x width} input, shallowest
     * first; fails with a message naming the size when the input is too small.
     */
    List<FeatureMapSize> featureMaps(int height, int width);

    /** An uninitialised network for the (already validated) description. */
    SsdModel build(ModelDescription description);

    /**
     * The description a new training run of this architecture starts from ({@code ssd train --model
     * NAME}). By default: anchors with scales spread from 0.1 to 0.9 over the feature maps, aspect
     * ratios 0.5, 1, 2 plus the second ratio-1 box, variances (0.1, 0.1, 0.2, 0.2); input scaled to
     * [-1, 1]; L2 decay 5e-4; the reference encoder and prediction decoder defaults.
     */
    default ModelDescription defaultDescription(int height, int width, List<String> classNames) {
      return ModelDescription.builder(name(), height, width, classNames)
          .anchors(
              AnchorConfig.builder()
                  .imageSize(height, width)
                  .predictorSizes(featureMaps(height, width))
                  .build())
          .preprocessing(
              InputPreprocessing.none().withSubtractMean(127.5f).withDivideByStddev(127.5f))
          .l2WeightDecay(ModelDescription.SSD7_L2_WEIGHT_DECAY)
          .build();
    }
  }

  private static final Map<String, Architecture> REGISTRY = new ConcurrentHashMap<>();

  static {
    register(
        new Architecture() {
          @Override
          public String name() {
            return SSD7;
          }

          @Override
          public List<FeatureMapSize> featureMaps(int height, int width) {
            return PredictorGeometry.ssd7(height, width);
          }

          @Override
          public SsdModel build(ModelDescription d) {
            int[] boxes = d.boxesPerCell().stream().mapToInt(Integer::intValue).toArray();
            return Ssd7.build(new Ssd7.Config(d.classCount(), boxes, d.preprocessing()));
          }

          @Override
          public ModelDescription defaultDescription(int height, int width, List<String> names) {
            return ModelDescription.ssd7(height, width, names);
          }
        });
    register(vgg(SSD300, VggSsdBase.Variant.SSD300));
    register(vgg(SSD512, VggSsdBase.Variant.SSD512));
    register(MobileNetV2SsdLite.architecture(MobileNetV2SsdLite.NAME, 1.0));
    register(MobileNetV2SsdLite.architecture(MobileNetV2SsdLite.NAME_HALF, 0.5));
  }

  private static Architecture vgg(String name, VggSsdBase.Variant variant) {
    return new Architecture() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<FeatureMapSize> featureMaps(int height, int width) {
        return variant == VggSsdBase.Variant.SSD300
            ? PredictorGeometry.ssd300(height, width)
            : PredictorGeometry.ssd512(height, width);
      }

      @Override
      public SsdModel build(ModelDescription d) {
        int[] boxes = d.boxesPerCell().stream().mapToInt(Integer::intValue).toArray();
        return VggSsd.build(variant, d.classCount(), boxes, d.preprocessing());
      }

      @Override
      public ModelDescription defaultDescription(int height, int width, List<String> names) {
        return variant == VggSsdBase.Variant.SSD300
            ? ModelDescription.ssd300(names, AnchorConfig.ssd300Voc())
            : ModelDescription.ssd512(names, AnchorConfig.ssd512Voc());
      }
    };
  }

  /** Whether the {@link ServiceLoader} providers on the class path have been registered. */
  private static boolean providersLoaded;

  /**
   * Registers, once, every {@link Architecture} that a {@code
   * META-INF/services/org.grievance.ssd.spec.SsdModels$Architecture} file on the class path names
   * (a public class with a public no-argument constructor), so that a jar with a custom backbone
   * put on the class path of {@code ssd} makes it known to every command. A provider whose name is
   * taken fails with a message naming both.
   */
  private static synchronized void loadProviders() {
    if (providersLoaded) {
      return;
    }
    providersLoaded = true;
    for (Architecture a : ServiceLoader.load(Architecture.class)) {
      Architecture existing = REGISTRY.get(a.name());
      if (existing != null && existing.getClass() != a.getClass()) {
        throw new IllegalStateException(
            "architecture provider "
                + a.getClass().getName()
                + " uses the name '"
                + a.name()
                + "' of "
                + existing.getClass().getName());
      }
      if (existing == null) {
        register(a);
      }
    }
  }

  private SsdModels() {}

  /**
   * Adds an architecture.
   *
   * @throws IllegalArgumentException if the name is blank, not lower case, or already taken
   */
  public static void register(Architecture architecture) {
    Objects.requireNonNull(architecture, "architecture");
    String name = architecture.name();
    if (name == null || name.isBlank() || !name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
      throw new IllegalArgumentException(
          "architecture names must be non-blank lower case, got '" + name + "'");
    }
    if (REGISTRY.putIfAbsent(name, architecture) != null) {
      throw new IllegalArgumentException("architecture '" + name + "' is already registered");
    }
  }

  /** The registered architecture names, sorted. */
  public static Set<String> names() {
    loadProviders();
    return new TreeSet<>(REGISTRY.keySet());
  }

  /**
   * The architecture called {@code name}.
   *
   * @throws ModelDescriptionException naming the known architectures if there is none
   */
  public static Architecture architecture(String name) {
    loadProviders();
    Architecture a = name == null ? null : REGISTRY.get(name);
    if (a == null) {
      throw new ModelDescriptionException(
          "unknown architecture '" + name + "'; known architectures: " + names());
    }
    return a;
  }

  /**
   * The uninitialised network of {@code description}. Checks that the network predicts exactly one
   * box per anchor of the description.
   */
  public static SsdModel build(ModelDescription description) {
    SsdModel model = architecture(description.architecture()).build(description);
    int h = description.inputHeight();
    int w = description.inputWidth();
    int predicted = model.anchorCount(h, w);
    int anchors = description.anchors().anchorCount();
    if (predicted != anchors) {
      throw new ModelDescriptionException(
          description.architecture()
              + " at "
              + h
              + "x"
              + w
              + " predicts "
              + predicted
              + " boxes per image but the anchors number "
              + anchors);
    }
    if (model.classesWithBackground() != description.classCount() + 1) {
      throw new IllegalStateException(
          "architecture "
              + description.architecture()
              + " built "
              + model.classesWithBackground()
              + " class outputs for "
              + description.classCount()
              + " classes plus background");
    }
    return model;
  }

  /**
   * The network of {@code description}, initialised in {@code manager} for its input size (fresh
   * weights; load trained ones afterwards).
   */
  public static SsdModel create(NDManager manager, ModelDescription description) {
    SsdModel model = build(description);
    model.initialize(manager, DataType.FLOAT32, inputShape(description));
    return model;
  }

  /** {@code (1, 3, H, W)}: the shape the network is initialised with. */
  public static Shape inputShape(ModelDescription description) {
    return new Shape(
        1, InputPreprocessing.CHANNELS, description.inputHeight(), description.inputWidth());
  }
}
