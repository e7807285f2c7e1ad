package org.grievance.ssd.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.anchor.AxisPair;
import org.grievance.ssd.anchor.FeatureMapSize;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.box.BoxFormat;
import org.grievance.ssd.decode.DecoderKind;
import org.grievance.ssd.encode.EncoderConfig;
import org.grievance.ssd.encode.MatchingType;
import org.grievance.ssd.encode.OutsideBoxPolicy;
import org.grievance.ssd.io.AtomicFiles;
import org.grievance.ssd.model.InputPreprocessing;

/**
 * The JSON mapping of {@link ModelDescription}. The file layout is spelled out here as plain data
 * records (all fields nullable, so a missing field is reported by name), separate from the domain
 * records: {@link AnchorConfig}, {@link EncoderConfig} and {@link InputPreprocessing} keep their
 * own semantics and validation, and renaming a Java accessor cannot silently change the format.
 * Enums are written in lower case ({@code centroids}, {@code multi}, {@code half}, {@code
 * per-class}). Unknown fields are errors: a typo must not silently fall back to a default.
 */
final class ModelDescriptionJson {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .build();

  private ModelDescriptionJson() {}

  /** The whole file. */
  record Doc(
      Integer formatVersion,
      String architecture,
      Integer inputHeight,
      Integer inputWidth,
      List<String> classNames,
      List<Integer> boxesPerCell,
      AnchorsDoc anchors,
      EncoderDoc encoder,
      PreprocessingDoc preprocessing,
      Double l2WeightDecay,
      DecoderDoc decoder,
      ObjectNode provenance) {}

  /** {@link AnchorConfig}, every field in resolved form. */
  record AnchorsDoc(
      Integer imageHeight,
      Integer imageWidth,
      List<SizeDoc> predictorSizes,
      List<Double> scales,
      List<List<Double>> aspectRatios,
      Boolean twoBoxesForAr1,
      List<PairDoc> steps,
      List<PairDoc> offsets,
      Boolean clipBoxes,
      List<Double> variances,
      String coords,
      Boolean normalizeCoords) {}

  /** {@link FeatureMapSize}. */
  record SizeDoc(Integer height, Integer width) {}

  /** {@link AxisPair}: height value first, as everywhere. */
  record PairDoc(Double h, Double w) {}

  /** {@link EncoderConfig}. */
  record EncoderDoc(
      Integer nClasses,
      String matchingType,
      Double posIouThreshold,
      Double negIouLimit,
      String borderPixels,
      Integer backgroundId,
      String outsideBoxPolicy) {}

  /** {@link InputPreprocessing}; an absent or null step is skipped. */
  record PreprocessingDoc(float[] subtractMean, float[] divideByStddev, int[] swapChannels) {}

  /**
   * {@link DecoderDefaults}. {@code classThresholds} is left out when there are none, so a model
   * without them stays readable by versions that do not know the field.
   */
  record DecoderDoc(
      String kind,
      Double confidenceThreshold,
      Double iouThreshold,
      Integer topK,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Double> classThresholds) {}

  // ----------------------------------------------------------------------------------- write

  static ObjectNode toJson(ModelDescription d) {
    return MAPPER.valueToTree(toDoc(d));
  }

  static void write(ModelDescription d, Path file) throws IOException {
    AtomicFiles.write(file, MAPPER.writeValueAsBytes(toJson(d)));
  }

  private static Doc toDoc(ModelDescription d) {
    AnchorConfig a = d.anchors();
    AnchorsDoc anchors =
        new AnchorsDoc(
            a.imageHeight(),
            a.imageWidth(),
            a.predictorSizes().stream().map(s -> new SizeDoc(s.height(), s.width())).toList(),
            a.scales(),
            a.aspectRatios(),
            a.twoBoxesForAr1(),
            pairs(a.steps()),
            pairs(a.offsets()),
            a.clipBoxes(),
            a.variances(),
            lower(a.coords()),
            a.normalizeCoords());
    EncoderConfig e = d.encoder();
    EncoderDoc encoder =
        new EncoderDoc(
            e.nClasses(),
            lower(e.matchingType()),
            e.posIouThreshold(),
            e.negIouLimit(),
            lower(e.borderPixels()),
            e.backgroundId(),
            lower(e.outsideBoxPolicy()));
    InputPreprocessing p = d.preprocessing();
    DecoderDefaults dec = d.decoder();
    return new Doc(
        d.formatVersion(),
        d.architecture(),
        d.inputHeight(),
        d.inputWidth(),
        d.classNames(),
        d.boxesPerCell(),
        anchors,
        encoder,
        new PreprocessingDoc(p.subtractMean(), p.divideByStddev(), p.swapChannels()),
        d.l2WeightDecay(),
        new DecoderDoc(
            dec.kind().label(),
            dec.confidenceThreshold(),
            dec.iouThreshold(),
            dec.topK(),
            dec.classThresholds()),
        d.provenance());
  }

  private static List<PairDoc> pairs(List<AxisPair> pairs) {
    return pairs.stream().map(p -> new PairDoc(p.h(), p.w())).toList();
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  // ------------------------------------------------------------------------------------ read

  static ModelDescription read(Path file) throws IOException {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String where = loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr();
      throw new ModelDescriptionException(
          file + where + ": malformed JSON: " + e.getOriginalMessage(), e);
    } catch (java.io.FileNotFoundException e) {
      throw new NoSuchFileException(file.toString(), null, "no model description");
    }
    if (tree == null || tree.isMissingNode()) {
      throw new ModelDescriptionException(file + ": the file is empty");
    }
    try {
      return fromJson(tree);
    } catch (ModelDescriptionException e) {
      throw new ModelDescriptionException(file + ": " + e.getMessage(), e);
    }
  }

  static ModelDescription fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new ModelDescriptionException(
          "a model description must be a JSON object, got "
              + (json == null ? "nothing" : json.getNodeType()));
    }
    JsonNode version = json.get("formatVersion");
    if (version == null || !version.canConvertToExactIntegral() || !version.canConvertToInt()) {
      throw new ModelDescriptionException(
          "formatVersion must be an integer, got " + (version == null ? "nothing" : version));
    }
    if (version.intValue() > ModelDescription.FORMAT_VERSION) {
      // Checked before the fields: a newer file may well have fields this code does not know.
      throw new ModelDescriptionException(
          "formatVersion "
              + version.intValue()
              + " is newer than this program understands ("
              + ModelDescription.FORMAT_VERSION
              + "); use a newer version of ssd");
    }
    JsonNode arch = json.get("architecture");
    if (arch != null && arch.isTextual()) {
      SsdModels.architecture(arch.textValue());
    }
    Doc doc;
    try {
      doc = MAPPER.treeToValue(json, Doc.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ModelDescriptionException(
          "unknown field '" + path(e) + "' (known: " + e.getKnownPropertyIds() + ")", e);
    } catch (JsonMappingException e) {
      throw new ModelDescriptionException(
          "field '" + path(e) + "' has the wrong type: " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new ModelDescriptionException("unreadable description: " + e.getOriginalMessage(), e);
    }
    return fromDoc(doc);
  }

  /** The JSON path of a mapping error, e.g. {@code anchors.steps[2].h}. */
  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static ModelDescription fromDoc(Doc doc) {
    AnchorConfig anchors = anchors(required(doc.anchors(), "anchors"));
    EncoderConfig encoder = encoder(required(doc.encoder(), "encoder"));
    PreprocessingDoc p = required(doc.preprocessing(), "preprocessing");
    InputPreprocessing preprocessing =
        section(
            "preprocessing",
            () -> InputPreprocessing.of(p.subtractMean(), p.divideByStddev(), p.swapChannels()));
    DecoderDoc dd = required(doc.decoder(), "decoder");
    DecoderDefaults decoder =
        section(
            "decoder",
            () ->
                new DecoderDefaults(
                    DecoderKind.parse(required(dd.kind(), "decoder.kind")),
                    required(dd.confidenceThreshold(), "decoder.confidenceThreshold"),
                    required(dd.iouThreshold(), "decoder.iouThreshold"),
                    required(dd.topK(), "decoder.topK"),
                    dd.classThresholds() == null ? Map.of() : dd.classThresholds()));
    return new ModelDescription(
        required(doc.formatVersion(), "formatVersion"),
        required(doc.architecture(), "architecture"),
        required(doc.inputHeight(), "inputHeight"),
        required(doc.inputWidth(), "inputWidth"),
        required(doc.classNames(), "classNames"),
        required(doc.boxesPerCell(), "boxesPerCell"),
        anchors,
        encoder,
        preprocessing,
        required(doc.l2WeightDecay(), "l2WeightDecay"),
        decoder,
        doc.provenance());
  }

  private static AnchorConfig anchors(AnchorsDoc a) {
    List<FeatureMapSize> sizes = new ArrayList<>();
    List<SizeDoc> sizeDocs = required(a.predictorSizes(), "anchors.predictorSizes");
    for (int i = 0; i < sizeDocs.size(); i++) {
      String field = "anchors.predictorSizes[" + i + "]";
      SizeDoc s = required(sizeDocs.get(i), field);
      sizes.add(
          section(
              field,
              () ->
                  new FeatureMapSize(
                      required(s.height(), field + ".height"),
                      required(s.width(), field + ".width"))));
    }
    List<AxisPair> steps = pairs(required(a.steps(), "anchors.steps"), "anchors.steps");
    List<AxisPair> offsets = pairs(required(a.offsets(), "anchors.offsets"), "anchors.offsets");
    BoxFormat coords =
        section("anchors.coords", () -> BoxFormat.parse(required(a.coords(), "anchors.coords")));
    return section(
        "anchors",
        () ->
            new AnchorConfig(
                required(a.imageHeight(), "anchors.imageHeight"),
                required(a.imageWidth(), "anchors.imageWidth"),
                sizes,
                required(a.scales(), "anchors.scales"),
                required(a.aspectRatios(), "anchors.aspectRatios"),
                required(a.twoBoxesForAr1(), "anchors.twoBoxesForAr1"),
                steps,
                offsets,
                required(a.clipBoxes(), "anchors.clipBoxes"),
                required(a.variances(), "anchors.variances"),
                coords,
                required(a.normalizeCoords(), "anchors.normalizeCoords")));
  }

  private static List<AxisPair> pairs(List<PairDoc> docs, String field) {
    List<AxisPair> out = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      String f = field + "[" + i + "]";
      PairDoc p = required(docs.get(i), f);
      out.add(section(f, () -> AxisPair.of(required(p.h(), f + ".h"), required(p.w(), f + ".w"))));
    }
    return out;
  }

  private static EncoderConfig encoder(EncoderDoc e) {
    return section(
        "encoder",
        () ->
            new EncoderConfig(
                required(e.nClasses(), "encoder.nClasses"),
                enumValue(
                    MatchingType.class,
                    required(e.matchingType(), "encoder.matchingType"),
                    "encoder.matchingType"),
                required(e.posIouThreshold(), "encoder.posIouThreshold"),
                required(e.negIouLimit(), "encoder.negIouLimit"),
                BorderPixels.parse(required(e.borderPixels(), "encoder.borderPixels")),
                required(e.backgroundId(), "encoder.backgroundId"),
                enumValue(
                    OutsideBoxPolicy.class,
                    required(e.outsideBoxPolicy(), "encoder.outsideBoxPolicy"),
                    "encoder.outsideBoxPolicy")));
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String field) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value.trim())) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(lower(e));
    }
    throw new ModelDescriptionException(
        field + " must be one of " + names + ", got '" + value + "'");
  }

  private static <T> T required(T value, String field) {
    if (value == null) {
      throw new ModelDescriptionException("missing field '" + field + "'");
    }
    return value;
  }

  /** Runs a domain constructor, prefixing its validation message with the section it belongs to. */
  private static <T> T section(String name, java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (ModelDescriptionException e) {
      throw e;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ModelDescriptionException(name + ": " + e.getMessage(), e);
    }
  }
}
