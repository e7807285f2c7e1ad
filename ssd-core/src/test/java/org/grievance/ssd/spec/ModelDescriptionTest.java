package org.grievance.ssd.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.anchor.AxisPair;
import org.grievance.ssd.anchor.PredictorGeometry;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.box.BoxFormat;
import org.grievance.ssd.decode.DecoderKind;
import org.grievance.ssd.encode.EncoderConfig;
import org.grievance.ssd.encode.MatchingType;
import org.grievance.ssd.encode.OutsideBoxPolicy;
import org.grievance.ssd.model.InputPreprocessing;
import org.grievance.ssd.model.SsdModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDescriptionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CLASSES = List.of("circle", "square");

  @TempDir Path tmp;

  private static ModelDescription ssd7() {
    return ModelDescription.ssd7(96, 128, CLASSES);
  }

  /** Every field away from its default, so a field the mapping forgets cannot round-trip. */
  private static ModelDescription unusual() {
    AnchorConfig anchors =
        AnchorConfig.builder()
            .imageSize(96, 128)
            .predictorSizes(PredictorGeometry.ssd7(96, 128))
            .scales(0.05, 0.15, 1.0 / 3.0, 0.6, 1.2)
            .aspectRatiosPerLayer(
                List.of(
                    List.of(1.0, 2.0),
                    List.of(1.0, 2.0, 0.5),
                    List.of(0.25, 1.0 / 3.0),
                    List.of(1.0, 3.0, 0.5)))
            .twoBoxesForAr1(true)
            .steps(
                List.of(
                    AxisPair.of(8, 8.5), AxisPair.both(16), AxisPair.both(32), AxisPair.of(64, 60)))
            .offsets(
                List.of(
                    AxisPair.both(0.5),
                    AxisPair.of(0.25, 0.75),
                    AxisPair.both(0.5),
                    AxisPair.both(0)))
            .clipBoxes(true)
            .variances(0.1, 0.1, 0.2, 0.2)
            .coords(BoxFormat.CORNERS)
            .normalizeCoords(false)
            .build();
    ObjectNode provenance = JSON.createObjectNode();
    provenance.put("created", "2024-05-01T12:00:00Z");
    provenance.put("dataset", "/data/synth");
    provenance.putObject("training").put("epochs", 3).put("bestValLoss", 1.25);
    return ModelDescription.builder(SsdModels.SSD7, 96, 128, List.of("a", "b", "c"))
        .anchors(anchors)
        .encoder(
            EncoderConfig.builder(3)
                .matchingType(MatchingType.BIPARTITE)
                .posIouThreshold(0.6)
                .negIouLimit(0.4)
                .borderPixels(BorderPixels.INCLUDE)
                .outsideBoxPolicy(OutsideBoxPolicy.DROP_WITH_WARNING)
                .build())
        .preprocessing(
            InputPreprocessing.of(
                new float[] {123.68f, 116.779f, 103.939f},
                new float[] {58.5f},
                new int[] {2, 1, 0}))
        .l2WeightDecay(1e-5)
        .decoder(new DecoderDefaults(DecoderKind.FAST, 0.3, 0.5, 50, Map.of("c", 0.7, "a", 0.25)))
        .provenance(provenance)
        .build();
  }

  @Test
  void jsonRoundTripKeepsEveryField() throws IOException {
    for (ModelDescription d : List.of(ssd7(), unusual())) {
      ObjectNode json = d.toJson();
      assertThat(ModelDescription.fromJson(json)).isEqualTo(d);
      // Through text too: doubles such as 1/3 must survive printing.
      JsonNode reparsed = JSON.readTree(JSON.writeValueAsString(json));
      assertThat(ModelDescription.fromJson(reparsed)).isEqualTo(d);
      Path file = tmp.resolve(d.classCount() + "/model.json");
      d.write(file);
      ModelDescription back = ModelDescription.read(file);
      assertThat(back).isEqualTo(d);
      assertThat(back.anchors()).isEqualTo(d.anchors());
      assertThat(back.encoder()).isEqualTo(d.encoder());
      assertThat(back.preprocessing()).isEqualTo(d.preprocessing());
      assertThat(back.provenance()).isEqualTo(d.provenance());
    }
  }

  @Test
  void classThresholdsRoundTripThroughModelJson() throws IOException {
    ObjectNode calibration = JSON.createObjectNode().put("rule", "best F1").put("images", 40);
    ModelDescription d =
        ssd7().withClassThresholds(Map.of("square", 0.625, "circle", 0.3), calibration);
    Path file = tmp.resolve("calibrated/model.json");
    d.write(file);
    JsonNode written = JSON.readTree(file.toFile());
    assertThat(written.get("decoder").get("classThresholds").toString())
        .isEqualTo("{\"circle\":0.3,\"square\":0.625}"); // class order, whatever the map's
    ModelDescription back = ModelDescription.read(file);
    assertThat(back).isEqualTo(d);
    assertThat(back.decoder().classThresholds())
        .containsExactly(Map.entry("circle", 0.3), Map.entry("square", 0.625));
    assertThat(back.provenance().get(ModelDescription.CALIBRATION)).isEqualTo(calibration);
    assertThat(back.decoder().confidenceThreshold("square")).isEqualTo(0.625);

    // Replaced, not merged; removed with the provenance that explained them.
    ModelDescription recalibrated = back.withClassThresholds(Map.of("circle", 0.4), calibration);
    assertThat(recalibrated.decoder().classThresholds()).containsOnlyKeys("circle");
    ModelDescription cleared = back.withClassThresholds(Map.of(), null);
    assertThat(cleared.decoder().classThresholds()).isEmpty();
    assertThat(cleared.provenance().has(ModelDescription.CALIBRATION)).isFalse();
  }

  @Test
  void aModelJsonWithoutClassThresholdsStillLoadsAndIsWrittenWithout() {
    ObjectNode json = ssd7().toJson();
    assertThat(json.get("decoder").has("classThresholds")).isFalse();
    ModelDescription d = ModelDescription.fromJson(json);
    assertThat(d.decoder().classThresholds()).isEmpty();
    assertThat(d.decoder().confidenceThreshold("circle")).isEqualTo(0.5);
  }

  @Test
  void badClassThresholdsAreNamed() {
    assertRejected(
        j -> ((ObjectNode) j.get("decoder")).putObject("classThresholds").put("triangle", 0.5),
        "decoder.classThresholds names 'triangle'",
        "[circle, square]");
    assertRejected(
        j -> ((ObjectNode) j.get("decoder")).putObject("classThresholds").put("circle", 1.5),
        "decoder.classThresholds.circle must be in [0, 1], got 1.5");
    assertRejected(
        j -> ((ObjectNode) j.get("decoder")).putObject("classThresholds").put("circle", "high"),
        "field 'decoder.classThresholds.circle'");
    assertRejected(
        j -> ((ObjectNode) j.get("decoder")).putObject("classThresholds").putNull("circle"),
        "decoder.classThresholds.circle must be in [0, 1], got null");
  }

  @Test
  void fileLayoutUsesReadableNamesAndLowerCaseEnums() {
    ObjectNode json = unusual().toJson();
    assertThat(json.get("formatVersion").asInt()).isEqualTo(ModelDescription.FORMAT_VERSION);
    assertThat(json.get("architecture").asText()).isEqualTo("ssd7");
    assertThat(json.get("inputHeight").asInt()).isEqualTo(96);
    assertThat(json.get("inputWidth").asInt()).isEqualTo(128);
    assertThat(json.get("boxesPerCell").toString()).isEqualTo("[3,4,2,4]");
    JsonNode anchors = json.get("anchors");
    assertThat(anchors.get("coords").asText()).isEqualTo("corners");
    assertThat(anchors.get("steps").get(0).toString()).isEqualTo("{\"h\":8.0,\"w\":8.5}");
    assertThat(anchors.get("predictorSizes").get(0).toString())
        .isEqualTo("{\"height\":12,\"width\":16}");
    assertThat(json.get("encoder").get("matchingType").asText()).isEqualTo("bipartite");
    assertThat(json.get("encoder").get("outsideBoxPolicy").asText()).isEqualTo("drop_with_warning");
    assertThat(json.get("decoder").get("kind").asText()).isEqualTo("fast");
    assertThat(json.get("preprocessing").get("swapChannels").toString()).isEqualTo("[2,1,0]");
    assertThat(json.get("provenance").get("training").get("epochs").asInt()).isEqualTo(3);
  }

  @Test
  void ssd7FactoryUsesTheNotebookConfiguration() {
    ModelDescription d = ssd7();
    assertThat(d.anchors()).isEqualTo(AnchorConfig.ssd7(96, 128));
    assertThat(d.boxesPerCell()).containsExactly(4, 4, 4, 4);
    assertThat(d.encoder()).isEqualTo(EncoderConfig.builder(2).build());
    assertThat(d.preprocessing().subtractMean()).containsExactly(127.5f);
    assertThat(d.l2WeightDecay()).isEqualTo(5e-4);
    assertThat(d.decoder()).isEqualTo(DecoderDefaults.forPrediction());
    assertThat(d.provenance().get("created").asText()).isNotBlank();
  }

  @Test
  void builtNetworkPredictsOneBoxPerAnchor() {
    for (ModelDescription d : List.of(ssd7(), unusual())) {
      SsdModel net = SsdModels.build(d);
      assertThat(net.anchorCount(96, 128)).isEqualTo(d.anchors().anchorCount());
      assertThat(net.classesWithBackground()).isEqualTo(d.classCount() + 1);
      assertThat(net.preprocessing()).isEqualTo(d.preprocessing());
    }
    try (NDManager m = NDManager.newBaseManager()) {
      assertThat(SsdModels.create(m, ssd7()).isInitialized()).isTrue();
    }
  }

  // ------------------------------------------------------------------------------ validation

  private static void assertRejected(Consumer<ObjectNode> edit, String... messageParts) {
    ObjectNode json = ssd7().toJson();
    edit.accept(json);
    assertThatThrownBy(() -> ModelDescription.fromJson(json))
        .isInstanceOf(ModelDescriptionException.class)
        .hasMessageContainingAll(messageParts);
  }

  @Test
  void newerFormatVersionIsReportedBeforeItsUnknownFields() {
    assertRejected(
        j -> {
          j.put("formatVersion", 2);
          j.put("somethingNew", true);
        },
        "formatVersion 2 is newer",
        "(1)");
    assertRejected(j -> j.put("formatVersion", 0), "formatVersion must be >= 1");
    assertRejected(j -> j.remove("formatVersion"), "formatVersion must be an integer");
  }

  @Test
  void unknownArchitectureListsTheKnownOnes() {
    assertRejected(j -> j.put("architecture", "ssd301"), "unknown architecture 'ssd301'", "ssd7");
  }

  @Test
  void unknownMissingAndMistypedFieldsAreNamed() {
    assertRejected(j -> j.put("inputHieght", 3), "unknown field 'inputHieght'");
    assertRejected(
        j -> ((ObjectNode) j.get("anchors")).put("clip", true), "unknown field 'anchors.clip'");
    assertRejected(
        j -> ((ObjectNode) j.get("anchors")).remove("scales"), "missing field 'anchors.scales'");
    assertRejected(j -> j.remove("decoder"), "missing field 'decoder'");
    assertRejected(j -> j.put("inputHeight", "tall"), "field 'inputHeight'");
    assertRejected(j -> j.put("inputHeight", 96.5), "field 'inputHeight'");
    assertRejected(
        j -> ((ObjectNode) j.get("anchors")).put("coords", "polar"),
        "anchors.coords",
        "unknown box format 'polar'");
    assertRejected(
        j -> ((ObjectNode) j.get("encoder")).put("matchingType", "greedy"),
        "encoder.matchingType must be one of [multi, bipartite]");
    assertRejected(
        j -> ((ObjectNode) j.get("decoder")).put("kind", "slow"), "unknown decoder 'slow'");
  }

  @Test
  void invalidValuesKeepTheDomainMessagesUnderTheirSection() {
    assertRejected(
        j -> ((ArrayNode) j.get("anchors").get("scales")).set(0, -0.1),
        "anchors: scales[0] must be > 0");
    assertRejected(
        j -> ((ObjectNode) j.get("encoder")).put("posIouThreshold", 1.5),
        "encoder: posIouThreshold must be in (0, 1]");
    assertRejected(
        j -> ((ObjectNode) j.get("decoder")).put("topK", 0), "decoder.topK must be >= 1");
    assertRejected(
        j -> ((ArrayNode) j.get("preprocessing").get("divideByStddev")).set(0, 0.0),
        "preprocessing: divideByStddev[0] must be finite and non-zero");
    assertRejected(j -> j.put("l2WeightDecay", -1e-4), "l2WeightDecay must be finite and >= 0");
    assertRejected(j -> ((ArrayNode) j.get("classNames")).add("circle"), "'circle' is a duplicate");
  }

  @Test
  void partsThatContradictTheArchitectureAreRejected() {
    // Anchors computed for another input size: their grids are not the network's feature maps.
    ObjectNode other = ModelDescription.ssd7(192, 256, CLASSES).toJson();
    assertRejected(
        j -> {
          ObjectNode anchors = (ObjectNode) other.get("anchors").deepCopy();
          anchors.put("imageHeight", 96).put("imageWidth", 128);
          j.set("anchors", anchors);
        },
        "anchors.predictorSizes [24x32, 12x16, 6x8, 3x4] do not match the feature maps of ssd7"
            + " at 96x128: [12x16, 6x8, 3x4, 1x2]",
        "the anchors number 4080, the network predicts 1016 boxes");
    assertRejected(j -> j.put("inputHeight", 192), "anchors are for 96x128 images");
    assertRejected(
        j -> ((ArrayNode) j.get("boxesPerCell")).set(3, 6),
        "boxesPerCell [4, 4, 4, 6] disagrees with the anchors' aspect ratios, which give"
            + " [4, 4, 4, 4]");
    assertRejected(
        j -> ((ArrayNode) j.get("boxesPerCell")).remove(3),
        "boxesPerCell has 3 entries but ssd7 has 4 predictor layers");
    assertRejected(
        j -> ((ArrayNode) j.get("classNames")).add("triangle"),
        "encoder.nClasses is 2 but there are 3 class names");
    // An input too small for the network.
    assertThatThrownBy(() -> ModelDescription.ssd7(32, 32, CLASSES))
        .hasMessageContaining("too small for SSD7");
  }

  @Test
  void readNamesTheFile() throws IOException {
    Path bad = tmp.resolve("model.json");
    Files.writeString(bad, "{\"formatVersion\": 1,\n \"architecture\": }");
    assertThatThrownBy(() -> ModelDescription.read(bad))
        .isInstanceOf(ModelDescriptionException.class)
        .hasMessageContainingAll(bad.toString(), ":2:", "malformed JSON");
    ObjectNode json = ssd7().toJson();
    json.put("architecture", "yolo");
    Files.writeString(bad, json.toString());
    assertThatThrownBy(() -> ModelDescription.read(bad))
        .hasMessageContainingAll(bad.toString(), "unknown architecture 'yolo'");
  }

  @Test
  void registryRejectsDuplicatesAndBadNames() {
    SsdModels.Architecture copy = SsdModels.architecture("ssd7");
    assertThatThrownBy(() -> SsdModels.register(copy)).hasMessageContaining("already registered");
    assertThat(SsdModels.names()).contains("ssd7");
  }

  @Test
  void provenanceIsCopiedNotShared() {
    ModelDescription d = ssd7();
    d.provenance().put("tampered", true);
    assertThat(d.provenance().has("tampered")).isFalse();
    ModelDescription e = d.withProvenance("dataset", JSON.getNodeFactory().textNode("synth"));
    assertThat(e.provenance().get("dataset").asText()).isEqualTo("synth");
    assertThat(e.provenance().get("created")).isEqualTo(d.provenance().get("created"));
  }
}
