package org.grievance.ssd.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.anchor.FeatureMapSize;
import org.grievance.ssd.encode.EncoderConfig;
import org.grievance.ssd.model.InputPreprocessing;
import org.grievance.ssd.model.VggSsd;

/**
 * Everything needed to rebuild a trained SSD and use it, saved as {@code model.json} beside the
 * parameters: the architecture, the input size, the classes, the anchors, the encoder's matching
 * settings, the preprocessing baked into the network, the L2 weight decay it was trained with, the
 * decoder defaults, and free-form provenance. A model directory is thus self-describing: no command
 * needs to be told again how the model was configured.
 *
 * <p>The constructor checks every field and that the parts agree with each other and with the
 * architecture (one predictor layer per feature map, anchor grids of the feature maps' sizes, boxes
 * per cell as the aspect ratios yield them, one encoder class per class name). JSON goes through
 * {@link #toJson()} / {@link #fromJson(JsonNode)}; files through {@link #write(Path)} / {@link
 * #read(Path)}.
 *
 * @param formatVersion {@link #FORMAT_VERSION} for descriptions written by this code
 * @param architecture a name registered in {@link SsdModels} ({@code ssd7})
 * @param inputHeight network input height in pixels; images are resized to it
 * @param inputWidth network input width in pixels
 * @param classNames object classes, class id {@code i + 1} first at {@code i}; no background
 * @param boxesPerCell anchors per cell of each predictor layer
 * @param anchors the anchor configuration, for the input size
 * @param encoder the matching settings used to encode training targets
 * @param preprocessing what the network does to its RGB 0–255 input
 * @param l2WeightDecay Keras-style {@code λ} of the L2 penalty on convolution kernels, {@code >= 0}
 * @param decoder how predictions are decoded unless the caller overrides it
 * @param provenance free-form facts about the model's origin (creation time, dataset, training
 *     summary); never interpreted
 */
public record ModelDescription(
    int formatVersion,
    String architecture,
    int inputHeight,
    int inputWidth,
    List<String> classNames,
    List<Integer> boxesPerCell,
    AnchorConfig anchors,
    EncoderConfig encoder,
    InputPreprocessing preprocessing,
    double l2WeightDecay,
    DecoderDefaults decoder,
    ObjectNode provenance) {

  /** The format version this code writes and the newest it reads. */
  public static final int FORMAT_VERSION = 1;

  /**
   * The provenance field that says how {@link DecoderDefaults#classThresholds()} were chosen (rule,
   * data, the precision–recall point of each class).
   */
  public static final String CALIBRATION = "calibration";

  /** The SSD7 training notebook's L2 regularisation. */
  public static final double SSD7_L2_WEIGHT_DECAY = 5e-4;

  /** Validates every field and their agreement; messages name the field and the value. */
  public ModelDescription {
    if (formatVersion > FORMAT_VERSION) {
      throw new ModelDescriptionException(
          "formatVersion "
              + formatVersion
              + " is newer than this program understands ("
              + FORMAT_VERSION
              + "); use a newer version of ssd");
    }
    if (formatVersion < 1) {
      throw new ModelDescriptionException("formatVersion must be >= 1, got " + formatVersion);
    }
    SsdModels.Architecture arch = SsdModels.architecture(architecture);
    if (inputHeight < 1 || inputWidth < 1) {
      throw new ModelDescriptionException(
          "inputHeight and inputWidth must be positive, got " + inputHeight + "x" + inputWidth);
    }
    classNames = checkedClassNames(classNames);
    require(boxesPerCell, "boxesPerCell");
    for (int i = 0; i < boxesPerCell.size(); i++) {
      if (boxesPerCell.get(i) == null || boxesPerCell.get(i) < 1) {
        throw new ModelDescriptionException(
            "boxesPerCell[" + i + "] must be >= 1, got " + boxesPerCell.get(i));
      }
    }
    boxesPerCell = List.copyOf(boxesPerCell);
    require(anchors, "anchors");
    require(encoder, "encoder");
    require(preprocessing, "preprocessing");
    require(decoder, "decoder");
    if (!(l2WeightDecay >= 0) || Double.isInfinite(l2WeightDecay)) {
      throw new ModelDescriptionException(
          "l2WeightDecay must be finite and >= 0, got " + l2WeightDecay);
    }
    if (encoder.nClasses() != classNames.size()) {
      throw new ModelDescriptionException(
          "encoder.nClasses is "
              + encoder.nClasses()
              + " but there are "
              + classNames.size()
              + " class names "
              + classNames);
    }
    checkGeometry(arch, inputHeight, inputWidth, boxesPerCell, anchors);
    try {
      decoder = decoder.inClassOrder(classNames);
    } catch (IllegalArgumentException e) {
      throw new ModelDescriptionException(e.getMessage(), e);
    }
    provenance = provenance == null ? JsonNodeFactory.instance.objectNode() : provenance.deepCopy();
  }

  // ------------------------------------------------------------------------------- factories

  /**
   * SSD7 as the training notebook configures it: its anchors ({@link AnchorConfig#ssd7}), the
   * reference encoder defaults, input scaled to [-1, 1] (mean 127.5, deviation 127.5), L2 decay
   * 5e-4, {@link DecoderDefaults#forPrediction() prediction decoder defaults}, and provenance with
   * the creation time. Use {@link #toBuilder()} to change any part.
   */
  public static ModelDescription ssd7(int inputHeight, int inputWidth, List<String> classNames) {
    return builder(SsdModels.SSD7, inputHeight, inputWidth, classNames)
        .anchors(AnchorConfig.ssd7(inputHeight, inputWidth))
        .preprocessing(
            InputPreprocessing.none().withSubtractMean(127.5f).withDivideByStddev(127.5f))
        .l2WeightDecay(SSD7_L2_WEIGHT_DECAY)
        .build();
  }

  /**
   * The L2 regularisation of the reference's {@code ssd_300}/{@code ssd_512}
   * (docs/reference-behaviour.md#ssd300).
   */
  public static final double VGG_SSD_L2_WEIGHT_DECAY = 5e-4;

  /**
   * SSD300 as the reference's notebooks configure it (docs/reference-behaviour.md#ssd300-notebook):
   * 300x300 input, {@code anchors} ({@link AnchorConfig#ssd300Voc()} or {@link
   * AnchorConfig#ssd300Coco()}), the Caffe preprocessing (RGB mean 123, 117, 104 subtracted, then
   * RGB → BGR; {@link VggSsd#caffePreprocessing()}), L2 decay 5e-4, and the training notebook's
   * encoder ({@code neg_iou_limit} 0.5).
   */
  public static ModelDescription ssd300(List<String> classNames, AnchorConfig anchors) {
    return vggSsd(SsdModels.SSD300, classNames, anchors);
  }

  /**
   * SSD512 (docs/reference-behaviour.md#ssd512) configured like {@link #ssd300}; anchors {@link
   * AnchorConfig#ssd512Voc()}.
   */
  public static ModelDescription ssd512(List<String> classNames, AnchorConfig anchors) {
    return vggSsd(SsdModels.SSD512, classNames, anchors);
  }

  private static ModelDescription vggSsd(
      String architecture, List<String> classNames, AnchorConfig anchors) {
    require(anchors, "anchors");
    Builder b =
        builder(architecture, anchors.imageHeight(), anchors.imageWidth(), classNames)
            .anchors(anchors)
            .preprocessing(VggSsd.caffePreprocessing())
            .l2WeightDecay(VGG_SSD_L2_WEIGHT_DECAY);
    if (classNames != null && !classNames.isEmpty()) {
      b.encoder(EncoderConfig.builder(classNames.size()).negIouLimit(0.5).build());
    }
    return b.build();
  }

  /**
   * A builder with the reference encoder defaults, no preprocessing, no weight decay, prediction
   * decoder defaults and the creation time as provenance; the anchors must be set.
   */
  public static Builder builder(
      String architecture, int inputHeight, int inputWidth, List<String> classNames) {
    Builder b = new Builder();
    b.architecture = architecture;
    b.inputHeight = inputHeight;
    b.inputWidth = inputWidth;
    b.classNames = classNames;
    ObjectNode p = JsonNodeFactory.instance.objectNode();
    p.put("created", Instant.now().toString());
    b.provenance = p;
    return b;
  }

  /** A builder holding this description. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.architecture = architecture;
    b.inputHeight = inputHeight;
    b.inputWidth = inputWidth;
    b.classNames = classNames;
    b.boxesPerCell = boxesPerCell;
    b.anchors = anchors;
    b.encoder = encoder;
    b.preprocessing = preprocessing;
    b.l2WeightDecay = l2WeightDecay;
    b.decoder = decoder;
    b.provenance = provenance;
    return b;
  }

  // ------------------------------------------------------------------------------- accessors

  /** Number of object classes C (background excluded). */
  public int classCount() {
    return classNames.size();
  }

  /** A copy: the record stays immutable. */
  @Override
  public ObjectNode provenance() {
    return provenance.deepCopy();
  }

  /** This description with provenance field {@code name} set (e.g. the dataset or training). */
  public ModelDescription withProvenance(String name, JsonNode value) {
    ObjectNode p = provenance.deepCopy();
    p.set(name, value == null ? JsonNodeFactory.instance.nullNode() : value.deepCopy());
    return toBuilder().provenance(p).build();
  }

  /** This description with other decoder defaults. */
  public ModelDescription withDecoder(DecoderDefaults newDecoder) {
    return toBuilder().decoder(newDecoder).build();
  }

  /**
   * This description with per-class confidence thresholds replacing any earlier ones (empty: none),
   * and provenance field {@value #CALIBRATION} set to {@code calibration}, or removed when it is
   * {@code null}.
   */
  public ModelDescription withClassThresholds(
      Map<String, Double> thresholds, JsonNode calibration) {
    ObjectNode p = provenance.deepCopy();
    if (calibration == null) {
      p.remove(CALIBRATION);
    } else {
      p.set(CALIBRATION, calibration.deepCopy());
    }
    return toBuilder().decoder(decoder.withClassThresholds(thresholds)).provenance(p).build();
  }

  // ------------------------------------------------------------------------------------ JSON

  /** The JSON form ({@code model.json}'s content). */
  public ObjectNode toJson() {
    return ModelDescriptionJson.toJson(this);
  }

  /**
   * Reads the JSON form, checking the format version first (so that a newer file fails with that
   * message rather than with an unknown field).
   *
   * @throws ModelDescriptionException naming the field
   */
  public static ModelDescription fromJson(JsonNode json) {
    return ModelDescriptionJson.fromJson(json);
  }

  /** Writes {@link #toJson()} to {@code file} atomically. */
  public void write(Path file) throws IOException {
    ModelDescriptionJson.write(this, file);
  }

  /**
   * Reads a {@code model.json} file.
   *
   * @throws ModelDescriptionException naming the file and the field when the content is invalid
   */
  public static ModelDescription read(Path file) throws IOException {
    return ModelDescriptionJson.read(file);
  }

  // ------------------------------------------------------------------------------ validation

  private static void require(Object value, String field) {
    if (value == null) {
      throw new ModelDescriptionException(field + " must be given");
    }
  }

  private static List<String> checkedClassNames(List<String> names) {
    if (names == null || names.isEmpty()) {
      throw new ModelDescriptionException("classNames must name at least one class, got " + names);
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (n == null || n.isBlank()) {
        throw new ModelDescriptionException(
            "classNames[" + i + "] (class id " + (i + 1) + ") is blank");
      }
      if (!seen.add(n)) {
        throw new ModelDescriptionException(
            "classNames[" + i + "] '" + n + "' is a duplicate in " + names);
      }
    }
    return List.copyOf(names);
  }

  /**
   * The anchors must be those of the network: same input size, one anchor grid per feature map of
   * the architecture at that size, and as many boxes per cell as each predictor emits.
   */
  private static void checkGeometry(
      SsdModels.Architecture arch,
      int height,
      int width,
      List<Integer> boxesPerCell,
      AnchorConfig anchors) {
    String name = arch.name();
    if (anchors.imageHeight() != height || anchors.imageWidth() != width) {
      throw new ModelDescriptionException(
          "anchors are for "
              + anchors.imageHeight()
              + "x"
              + anchors.imageWidth()
              + " images but the input is "
              + height
              + "x"
              + width);
    }
    List<FeatureMapSize> maps;
    try {
      maps = arch.featureMaps(height, width);
    } catch (IllegalArgumentException e) {
      throw new ModelDescriptionException(
          "input " + height + "x" + width + " does not suit " + name + ": " + e.getMessage(), e);
    }
    if (boxesPerCell.size() != maps.size()) {
      throw new ModelDescriptionException(
          "boxesPerCell has "
              + boxesPerCell.size()
              + " entries but "
              + name
              + " has "
              + maps.size()
              + " predictor layers");
    }
    if (anchors.layerCount() != maps.size() || !anchors.predictorSizes().equals(maps)) {
      throw new ModelDescriptionException(
          "anchors.predictorSizes "
              + anchors.predictorSizes()
              + " do not match the feature maps of "
              + name
              + " at "
              + height
              + "x"
              + width
              + ": "
              + maps
              + " (the anchors number "
              + anchors.anchorCount()
              + ", the network predicts "
              + predictedBoxes(maps, boxesPerCell)
              + " boxes)");
    }
    List<Integer> fromAnchors = new ArrayList<>();
    for (int i = 0; i < maps.size(); i++) {
      fromAnchors.add(anchors.boxesPerCell(i));
    }
    if (!fromAnchors.equals(boxesPerCell)) {
      throw new ModelDescriptionException(
          "boxesPerCell "
              + boxesPerCell
              + " disagrees with the anchors' aspect ratios, which give "
              + fromAnchors
              + " (the anchors number "
              + anchors.anchorCount()
              + ", the network predicts "
              + predictedBoxes(maps, boxesPerCell)
              + " boxes)");
    }
  }

  private static long predictedBoxes(List<FeatureMapSize> maps, List<Integer> boxesPerCell) {
    long n = 0;
    for (int i = 0; i < Math.min(maps.size(), boxesPerCell.size()); i++) {
      n += (long) maps.get(i).cells() * boxesPerCell.get(i);
    }
    return n;
  }

  /** Builder for {@link ModelDescription}; {@link #build()} validates. */
  public static final class Builder {
    private String architecture;
    private int inputHeight;
    private int inputWidth;
    private List<String> classNames;
    private List<Integer> boxesPerCell;
    private AnchorConfig anchors;
    private EncoderConfig encoder;
    private InputPreprocessing preprocessing = InputPreprocessing.none();
    private double l2WeightDecay;
    private DecoderDefaults decoder = DecoderDefaults.forPrediction();
    private ObjectNode provenance;

    private Builder() {}

    public Builder architecture(String value) {
      this.architecture = value;
      return this;
    }

    /** The input size; also set {@link #anchors} for the new size. */
    public Builder inputSize(int height, int width) {
      this.inputHeight = height;
      this.inputWidth = width;
      return this;
    }

    /** The classes; an encoder set earlier must have the same count. */
    public Builder classNames(List<String> value) {
      this.classNames = value;
      return this;
    }

    /** Explicit boxes per cell; by default they are derived from the anchors. */
    public Builder boxesPerCell(List<Integer> value) {
      this.boxesPerCell = value;
      return this;
    }

    /** The anchors; clears explicit boxes per cell so they follow the new anchors. */
    public Builder anchors(AnchorConfig value) {
      this.anchors = value;
      this.boxesPerCell = null;
      return this;
    }

    /** Matching settings; by default the reference's for the class count. */
    public Builder encoder(EncoderConfig value) {
      this.encoder = value;
      return this;
    }

    public Builder preprocessing(InputPreprocessing value) {
      this.preprocessing = value;
      return this;
    }

    public Builder l2WeightDecay(double value) {
      this.l2WeightDecay = value;
      return this;
    }

    public Builder decoder(DecoderDefaults value) {
      this.decoder = value;
      return this;
    }

    public Builder provenance(ObjectNode value) {
      this.provenance = value;
      return this;
    }

    public ModelDescription build() {
      List<Integer> boxes = boxesPerCell;
      if (boxes == null && anchors != null) {
        boxes = new ArrayList<>();
        for (int i = 0; i < anchors.layerCount(); i++) {
          boxes.add(anchors.boxesPerCell(i));
        }
      }
      EncoderConfig enc = encoder;
      if (enc == null && classNames != null && !classNames.isEmpty()) {
        enc = EncoderConfig.builder(classNames.size()).build();
      }
      return new ModelDescription(
          FORMAT_VERSION,
          architecture,
          inputHeight,
          inputWidth,
          classNames,
          boxes == null ? List.of() : boxes,
          anchors,
          enc,
          preprocessing,
          l2WeightDecay,
          decoder,
          provenance);
    }
  }
}
