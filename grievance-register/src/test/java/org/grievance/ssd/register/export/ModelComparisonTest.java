package org.grievance.ssd.register.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.grievance.ssd.eval.ApMetric;
import org.grievance.ssd.eval.ClassAp;
import org.grievance.ssd.eval.CocoEvaluation;
import org.grievance.ssd.eval.VocEvaluation;
import org.junit.jupiter.api.Test;

class ModelComparisonTest {
  private static ClassAp ap(int id, String name, double ap) {
    return new ClassAp(id, name, ap, Double.isNaN(ap) ? 0 : 4, 10, new double[0], new double[0]);
  }

  /** A score with VOC07 APs {@code pothole, graffiti} and COCO APs half as high. */
  private static ModelScore score(String model, double pothole, double graffiti) {
    List<ClassAp> voc = List.of(ap(1, "pothole", pothole), ap(2, "graffiti", graffiti));
    List<ClassAp> coco = List.of(ap(1, "pothole", pothole / 2), ap(2, "graffiti", graffiti / 2));
    double mean =
        Double.isNaN(pothole) && Double.isNaN(graffiti) ? Double.NaN : (pothole + graffiti) / 2;
    return new ModelScore(
        model,
        new VocEvaluation(ApMetric.VOC07_11_POINT, 0.5, voc, mean),
        new CocoEvaluation(mean / 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, coco));
  }

  @Test
  void worseMeansALowerMeanVoc07ApByMoreThanTheTolerance() {
    ModelScore base = score("served", 0.70, 0.74);
    assertThat(new ModelComparison(10, base, score("new", 0.69, 0.74)).isWorse(0.01))
        .as("mean 0.715 vs 0.72: within 0.01")
        .isFalse();
    assertThat(new ModelComparison(10, base, score("new", 0.66, 0.74)).isWorse(0.01)).isTrue();
    assertThat(new ModelComparison(10, base, score("new", 0.66, 0.74)).isWorse(0.05)).isFalse();
    assertThat(new ModelComparison(10, base, score("new", 0.90, 0.10)).isWorse()).isTrue();
    assertThat(new ModelComparison(10, base, score("new", 0.80, 0.80)).isWorse()).isFalse();
    assertThatThrownBy(() -> new ModelComparison(10, base, base).isWorse(-0.1))
        .hasMessageContaining("tolerance");
  }

  @Test
  void withoutGroundTruthNothingIsJudgedWorse() {
    ModelComparison c =
        new ModelComparison(
            0, score("a", Double.NaN, Double.NaN), score("b", Double.NaN, Double.NaN));
    assertThat(c.hasGroundTruth()).isFalse();
    assertThat(c.isWorse(0)).isFalse();
    assertThat(c.verdict(0.01)).contains("nothing to compare");
  }

  @Test
  void theTableAndJsonShowBothModelsPerClassAndTheMeans() {
    ModelComparison c = new ModelComparison(12, score("served", 0.5, 0.7), score("new", 0.6, 0.3));
    String table = c.table(0.01);
    assertThat(table).contains("A = baseline: served").contains("B = new:      new");
    assertThat(table).containsPattern("pothole\\s+4\\s+0\\.5000\\s+0\\.6000\\s+\\+0\\.1000");
    assertThat(table).containsPattern("graffiti\\s+4\\s+0\\.7000\\s+0\\.3000\\s+-0\\.4000");
    assertThat(table).containsPattern("mean\\s+0\\.6000\\s+0\\.4500\\s+-0\\.1500");
    assertThat(table).contains("WORSE");

    JsonNode json = c.toJson(new ObjectMapper(), 0.01);
    assertThat(json.get("worse").asBoolean()).isTrue();
    assertThat(json.at("/baseline/voc07mAP").asDouble()).isEqualTo(0.6);
    assertThat(json.at("/new/classes/1/name").asText()).isEqualTo("graffiti");
    assertThat(json.at("/new/classes/1/voc07AP").asDouble()).isEqualTo(0.3);
    assertThat(json.at("/new/classes/1/cocoAP").asDouble()).isEqualTo(0.15);
  }
}
