package org.grievance.ssd.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.grievance.ssd.testing.Golden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every group and run of {@code golden/loss.json}, in float32 (training) and float64. */
class LossGoldenTest {
  // README tolerances for a float32 computation and for a float64 one.
  private static final double ABS32 = 1e-5;
  private static final double REL32 = 2e-5;
  private static final double ABS64 = 1e-12;
  private static final double REL64 = 1e-9;

  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @TestFactory
  List<DynamicTest> float32MatchesReferenceCountsSelectionAndValues() {
    return forEveryRun(
        (group, run) -> {
          JsonNode expected = run.get("expected");
          LossBreakdown b = breakdown(group, run, DataType.FLOAT32, DataType.INT32);
          assertThat(b.nPositive()).isEqualTo((long) expected.get("n_positive").asDouble());
          assertThat(b.nNegLosses()).isEqualTo(expected.get("n_neg_losses").asLong());
          assertThat(b.nNegativeKeep()).isEqualTo(expected.get("n_negative_keep").asLong());
          assertThat(b.selectedNegatives())
              .containsExactly(longs(expected.get("selected_negative_flat_indices")));
          assertClose(b.totalLoss(), expected.get("total_loss_float32"), ABS32, REL32);
          assertClose(b.totalLoss(), expected.get("total_loss"), ABS32, REL32);
          assertClose(b.posClassLoss(), expected.get("pos_class_loss"), ABS32, REL32);
          assertClose(b.negClassLoss(), expected.get("neg_class_loss"), ABS32, REL32);
          assertClose(b.classLoss(), expected.get("class_loss"), ABS32, REL32);
          assertClose(b.locLoss(), expected.get("loc_loss"), ABS32, REL32);
          assertThat(
                  Golden.close(
                      b.meanLoss(), expected.get("batch_mean_loss").asDouble(), ABS32, REL32))
              .isTrue();
        });
  }

  /**
   * In float64 a clamped probability of exactly 1 becomes a loss of about 1e-15 instead of 0 (see
   * {@link SsdLoss}), so such negatives count as candidates: values agree to 1e-9, counts are
   * checked in float32.
   */
  @TestFactory
  List<DynamicTest> float64MatchesReferenceValues() {
    return forEveryRun(
        (group, run) -> {
          JsonNode expected = run.get("expected");
          LossBreakdown b = breakdown(group, run, DataType.FLOAT64, DataType.INT64);
          assertThat(b.nPositive()).isEqualTo((long) expected.get("n_positive").asDouble());
          assertClose(b.totalLoss(), expected.get("total_loss"), ABS64, REL64);
          assertClose(b.posClassLoss(), expected.get("pos_class_loss"), ABS64, REL64);
          assertClose(b.negClassLoss(), expected.get("neg_class_loss"), ABS64, REL64);
          assertClose(b.locLoss(), expected.get("loc_loss"), ABS64, REL64);
        });
  }

  @TestFactory
  List<DynamicTest> evaluateReturnsTheBatchMean() {
    return forEveryRun(
        (group, run) -> {
          JsonNode expected = run.get("expected");
          SsdLoss loss = new SsdLoss(config(run));
          LossInputs in = inputs(group);
          try (NDManager local = manager.newSubManager()) {
            NDArray value =
                loss.evaluate(
                    in.labels(local, DataType.FLOAT32, DataType.INT64),
                    in.predictions(local, DataType.FLOAT32));
            assertThat(value.getShape().dimension()).isZero();
            assertThat(value.getDataType()).isEqualTo(DataType.FLOAT32);
            double mean = expected.get("batch_mean_loss").asDouble();
            assertThat(Golden.close(value.getFloat(), mean, ABS32, REL32))
                .as("evaluate %s vs %s", value.getFloat(), mean)
                .isTrue();
          }
        });
  }

  private interface RunCheck {
    void check(JsonNode group, JsonNode run);
  }

  private static List<DynamicTest> forEveryRun(RunCheck check) {
    JsonNode file = Golden.load("loss.json");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode group : file.get("groups")) {
      int index = 0;
      for (JsonNode run : group.get("runs")) {
        String name = group.get("name").asText() + "[" + index++ + "] " + run.get("params");
        tests.add(dynamicTest(name, () -> check.check(group, run)));
      }
    }
    assertThat(tests).hasSize(19);
    return tests;
  }

  private static LossBreakdown breakdown(
      JsonNode group, JsonNode run, DataType dtype, DataType idType) {
    LossInputs in = inputs(group);
    try (NDManager local = manager.newSubManager()) {
      return new SsdLoss(config(run))
          .breakdown(in.labels(local, dtype, idType), in.predictions(local, dtype));
    }
  }

  private static LossInputs inputs(JsonNode group) {
    int[] shape = Golden.shape(group.get("y_true"));
    int classes = shape[2] - 12;
    return LossInputs.fromReference(
        Golden.flat(group.get("y_true")),
        Golden.flat(group.get("y_pred")),
        shape[0],
        shape[1],
        shape[2],
        classes);
  }

  private static SsdLossConfig config(JsonNode run) {
    JsonNode p = run.get("params");
    return SsdLossConfig.builder()
        .negPosRatio(p.get("neg_pos_ratio").asInt())
        .nNegMin(p.get("n_neg_min").asInt())
        .alpha(p.get("alpha").asDouble())
        .build();
  }

  private static long[] longs(JsonNode node) {
    return Arrays.stream(Golden.flat(node)).mapToLong(d -> (long) d).toArray();
  }

  private static void assertClose(double[] actual, JsonNode expectedNode, double abs, double rel) {
    double[] expected = Golden.flat(expectedNode);
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(Golden.close(actual[i], expected[i], abs, rel))
          .as("item %d: %s vs expected %s", i, actual[i], expected[i])
          .isTrue();
    }
  }
}
