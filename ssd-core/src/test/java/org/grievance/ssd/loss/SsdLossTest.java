package org.grievance.ssd.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hand-computed examples (docs/reference-behaviour.md#loss-examples and per-image mining), input
 * handling and ownership.
 */
class SsdLossTest {
  private static final double[] ZERO = {0, 0, 0, 0};
  private static final double TOL = 1e-6;

  // The reference's example image: anchor 0 positive, anchors 1-3 background.
  private static final double POS_CLASS = -Math.log(0.8);
  private static final double LOC = 0.5 * 0.5 * 0.5 + (2.0 - 0.5); // smooth L1 of (0.5, 0, 0, 2)
  private static final double NEG_09 = -Math.log(0.9);
  private static final double NEG_06 = -Math.log(0.6);
  private static final double NEG_05 = -Math.log(0.5);
  private static final double NEG_01 = -Math.log(0.1); // second image's hardest negative
  private static final double NEG_099 = -Math.log(0.99);

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private static LossInputs specImage(LossInputs in, int item) {
    return in.anchor(item, 0, 1, new double[] {0.2, 0.8}, new double[] {0.5, 0, 0, 2.0}, ZERO)
        .anchor(item, 1, 0, new double[] {0.9, 0.1}, ZERO, ZERO)
        .anchor(item, 2, 0, new double[] {0.6, 0.4}, ZERO, ZERO)
        .anchor(item, 3, 0, new double[] {0.5, 0.5}, ZERO, ZERO);
  }

  /** The reference's example batch: the image above plus an all-background image. */
  private static LossInputs specBatch() {
    LossInputs in = specImage(LossInputs.empty(2, 4, 2), 0);
    in.anchor(1, 0, 0, new double[] {0.1, 0.9}, ZERO, ZERO);
    for (int n = 1; n < 4; n++) {
      in.anchor(1, n, 0, new double[] {0.99, 0.01}, ZERO, ZERO);
    }
    return in;
  }

  private LossBreakdown breakdown(LossInputs in, SsdLossConfig config) {
    return new SsdLoss(config)
        .breakdown(
            in.labels(manager, DataType.FLOAT64, DataType.INT64),
            in.predictions(manager, DataType.FLOAT64));
  }

  private double evaluate(LossInputs in, SsdLossConfig config, DataType dtype, DataType ids) {
    NDArray value =
        new SsdLoss(config)
            .evaluate(in.labels(manager, dtype, ids), in.predictions(manager, dtype));
    return value.toType(DataType.FLOAT64, false).getDouble();
  }

  private static SsdLossConfig ratio(int negPosRatio) {
    return SsdLossConfig.builder().negPosRatio(negPosRatio).build();
  }

  @Test
  void specSingleImageKeepsAllThreeNegativesAtRatio3() {
    LossBreakdown b = breakdown(specImage(LossInputs.empty(1, 4, 2), 0), ratio(3));
    assertThat(b.locLoss()[0]).isCloseTo(1.625, within(TOL));
    assertThat(b.posClassLoss()[0]).isCloseTo(0.223144, within(TOL));
    assertThat(b.negClassLoss()[0]).isCloseTo(NEG_09 + NEG_06 + NEG_05, within(TOL));
    assertThat(b.totalLoss()[0]).isCloseTo(3.157477, within(TOL));
    assertThat(b.selectedNegatives()).containsExactly(1, 2, 3);
  }

  @Test
  void specSingleImageKeepsOnlyTheHardestNegativeAtRatio1() {
    LossBreakdown b = breakdown(specImage(LossInputs.empty(1, 4, 2), 0), ratio(1));
    assertThat(b.totalLoss()[0]).isCloseTo(2.541291, within(TOL));
    assertThat(b.totalLoss()[0]).isCloseTo(POS_CLASS + NEG_05 + LOC, within(1e-12));
    assertThat(b.selectedNegatives()).containsExactly(3);
    assertThat(b.nNegativeKeep()).isEqualTo(1);
  }

  @Test
  @DisplayName("batch mining (reference): an all-background image gives up its hardest negative")
  void specBatchMinesNegativesAcrossImages() {
    LossBreakdown b = breakdown(specBatch(), ratio(3));
    assertThat(b.nPositive()).isEqualTo(1);
    assertThat(b.nNegLosses()).isEqualTo(7);
    assertThat(b.nNegativeKeep()).isEqualTo(3);
    assertThat(b.selectedNegatives()).containsExactly(2, 3, 4);
    assertThat(b.totalLoss()).containsExactly(new double[] {6.104233, 4.605170}, within(TOL));
    assertThat(b.totalLoss()[1]).isCloseTo(2 * NEG_01, within(1e-12));
    assertThat(b.meanLoss()).isCloseTo(5.354701, within(TOL));
    assertThat(evaluate(specBatch(), ratio(3), DataType.FLOAT64, DataType.INT64))
        .isCloseTo(5.354701, within(TOL));
  }

  @Test
  void zeroPositivesGiveZeroLossWithoutMinimumNegatives() {
    LossInputs in = LossInputs.empty(1, 4, 2);
    for (int n = 0; n < 4; n++) {
      in.anchor(0, n, 0, new double[] {0.5, 0.5}, new double[] {3, 3, 3, 3}, ZERO);
    }
    LossBreakdown b = breakdown(in, ratio(3));
    assertThat(b.totalLoss()).containsExactly(0.0);
    assertThat(b.nNegativeKeep()).isZero();
    assertThat(evaluate(in, ratio(3), DataType.FLOAT32, DataType.INT32)).isZero();

    SsdLossConfig min2 = SsdLossConfig.builder().nNegMin(2).build();
    LossBreakdown withMin = breakdown(in, min2);
    assertThat(withMin.totalLoss()[0]).isCloseTo(1.386294, within(TOL));
    assertThat(withMin.totalLoss()[0]).isCloseTo(2 * NEG_05, within(1e-12));
    assertThat(withMin.selectedNegatives()).containsExactly(0, 1);
  }

  @Test
  @DisplayName("per-image mining (paper): an image without positives keeps no negatives")
  void perImageMiningKeepsNegativesWithTheirOwnImage() {
    SsdLossConfig perImage = SsdLossConfig.builder().mining(NegativeMining.PER_IMAGE).build();
    LossBreakdown b = breakdown(specBatch(), perImage);
    assertThat(b.selectedNegatives()).containsExactly(1, 2, 3);
    assertThat(b.nNegLosses()).isEqualTo(7);
    assertThat(b.nNegativeKeep()).isEqualTo(3);
    assertThat(b.negClassLoss())
        .containsExactly(new double[] {NEG_09 + NEG_06 + NEG_05, 0}, within(1e-12));
    double image0 = POS_CLASS + NEG_09 + NEG_06 + NEG_05 + LOC;
    assertThat(b.totalLoss()).containsExactly(new double[] {2 * image0, 0}, within(1e-12));
    assertThat(evaluate(specBatch(), perImage, DataType.FLOAT64, DataType.INT64))
        .isCloseTo(image0, within(1e-12));
  }

  @Test
  void perImageMiningAppliesRatioAndMinimumPerImage() {
    SsdLossConfig ratio1Min1 =
        SsdLossConfig.builder().negPosRatio(1).nNegMin(1).mining(NegativeMining.PER_IMAGE).build();
    LossBreakdown b = breakdown(specBatch(), ratio1Min1);
    // Image 0: 1 positive -> its hardest negative (anchor 3); image 1: nNegMin -> its hardest.
    assertThat(b.selectedNegatives()).containsExactly(3, 4);
    assertThat(b.nNegativeKeep()).isEqualTo(2);
    assertThat(b.totalLoss())
        .containsExactly(new double[] {2 * (POS_CLASS + NEG_05 + LOC), 2 * NEG_01}, within(1e-12));

    // Batch mining with the same numbers keeps max(1·1, 1) = 1 negative in all: image 1's.
    LossBreakdown batch =
        breakdown(specBatch(), ratio1Min1.toBuilder().mining(NegativeMining.BATCH).build());
    assertThat(batch.selectedNegatives()).containsExactly(4);
  }

  @Test
  void perImageMiningCapsAtTheImagesNonZeroNegatives() {
    SsdLossConfig many =
        SsdLossConfig.builder().negPosRatio(10).nNegMin(2).mining(NegativeMining.PER_IMAGE).build();
    LossBreakdown b = breakdown(specBatch(), many);
    assertThat(b.selectedNegatives()).containsExactly(1, 2, 3, 4, 5);
    assertThat(b.negClassLoss())
        .containsExactly(new double[] {NEG_09 + NEG_06 + NEG_05, NEG_01 + NEG_099}, within(1e-12));
  }

  @Test
  @DisplayName("equal negative losses at the cut: lower flat index first, like TF top_k")
  void tiesAtTheBoundaryPreferLowerFlatIndex() {
    LossInputs in = LossInputs.empty(2, 3, 2);
    double[] even = {0.5, 0.5};
    in.anchor(0, 0, 1, new double[] {0.3, 0.7}, ZERO, ZERO)
        .anchor(0, 1, 0, even, ZERO, ZERO)
        .anchor(0, 2, 0, even, ZERO, ZERO)
        .anchor(1, 0, 0, even, ZERO, ZERO)
        .anchor(1, 1, 0, new double[] {0.2, 0.8}, ZERO, ZERO)
        .anchor(1, 2, 0, even, ZERO, ZERO);
    // Hardest is flat 4; then four equal losses at flat 1, 2, 3, 5.
    assertThat(breakdown(in, ratio(2)).selectedNegatives()).containsExactly(1, 4);
    assertThat(breakdown(in, ratio(3)).selectedNegatives()).containsExactly(1, 2, 4);
    assertThat(breakdown(in, ratio(4)).selectedNegatives()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void neutralAnchorsTakePartInNoTerm() {
    LossInputs in = LossInputs.empty(1, 3, 3);
    in.anchor(0, 0, 2, new double[] {0.1, 0.1, 0.8}, new double[] {0.2, 0, 0, 0}, ZERO)
        .anchor(0, 1, -1, new double[] {0.98, 0.01, 0.01}, new double[] {9, 9, 9, 9}, ZERO)
        .anchor(0, 2, 0, new double[] {0.7, 0.2, 0.1}, ZERO, ZERO);
    LossBreakdown b = breakdown(in, ratio(3));
    assertThat(b.nPositive()).isEqualTo(1);
    assertThat(b.nNegLosses()).isEqualTo(1);
    assertThat(b.selectedNegatives()).containsExactly(2);
    assertThat(b.posClassLoss()[0]).isCloseTo(-Math.log(0.8), within(1e-12));
    assertThat(b.negClassLoss()[0]).isCloseTo(-Math.log(0.7), within(1e-12));
    assertThat(b.locLoss()[0]).isCloseTo(0.5 * 0.2 * 0.2, within(1e-12));
  }

  @Test
  void certainBackgroundIsNoMiningCandidateInFloat32() {
    LossInputs in = LossInputs.empty(1, 3, 2);
    in.anchor(0, 0, 1, new double[] {0.4, 0.6}, ZERO, ZERO)
        .anchor(0, 1, 0, new double[] {1.0, 0.0}, ZERO, ZERO)
        .anchor(0, 2, 0, new double[] {0.7, 0.3}, ZERO, ZERO);
    LossBreakdown b =
        new SsdLoss(ratio(3))
            .breakdown(
                in.labels(manager, DataType.FLOAT32, DataType.INT32),
                in.predictions(manager, DataType.FLOAT32));
    assertThat(b.nNegLosses()).isEqualTo(1);
    assertThat(b.nNegativeKeep()).isEqualTo(1);
    assertThat(b.selectedNegatives()).containsExactly(2);
  }

  @ParameterizedTest(name = "{0} logits, {1} class ids")
  @CsvSource({"FLOAT32, INT32", "FLOAT32, INT64", "FLOAT64, INT32", "FLOAT64, INT64"})
  void acceptsFloatTypesAndIntegerIdTypes(String floatType, String idType) {
    DataType dtype = DataType.valueOf(floatType);
    double value = evaluate(specBatch(), ratio(3), dtype, DataType.valueOf(idType));
    assertThat(value).isCloseTo(5.354701, within(dtype == DataType.FLOAT32 ? 1e-5 : TOL));
  }

  @Test
  void resultIsTheOnlyArrayLeftWithTheCaller() {
    LossInputs in = specBatch();
    NDList labels = in.labels(manager, DataType.FLOAT32, DataType.INT64);
    NDList predictions = in.predictions(manager, DataType.FLOAT32);
    int before = manager.getManagedArrays().size();

    SsdLoss loss = new SsdLoss(ratio(3));
    NDArray value = loss.evaluate(labels, predictions);
    assertThat(manager.getManagedArrays()).hasSize(before + 1).contains(value);
    assertThat(value.getManager()).isSameAs(manager);
    assertThat(predictions.get(0).getManager()).isSameAs(manager);
    assertThat(labels.get(0).getManager()).isSameAs(manager);

    loss.breakdown(labels, predictions);
    assertThat(manager.getManagedArrays()).hasSize(before + 1);

    EvaluatedLoss both = loss.evaluateWithBreakdown(labels, predictions);
    assertThat(manager.getManagedArrays()).hasSize(before + 2);
    assertThat(both.loss().getFloat())
        .isCloseTo((float) both.breakdown().meanLoss(), within(1e-5f));
  }

  @Test
  void failedValidationAlsoLeavesNothingBehind() {
    LossInputs in = specBatch();
    in.classIds[5] = 2;
    NDList labels = in.labels(manager, DataType.FLOAT32, DataType.INT64);
    NDList predictions = in.predictions(manager, DataType.FLOAT32);
    int before = manager.getManagedArrays().size();
    assertThatThrownBy(() -> new SsdLoss(ratio(3)).evaluate(labels, predictions))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("classIds[1, 1] = 2 is outside [-1, 1]");
    assertThat(manager.getManagedArrays()).hasSize(before);
  }

  @Test
  void rejectsClassIdsBelowNeutral() {
    LossInputs in = specBatch();
    in.classIds[2] = -3;
    assertThatThrownBy(() -> breakdown(in, ratio(3)))
        .hasMessageContaining("classIds[0, 2] = -3 is outside [-1, 1]");
  }

  @Test
  void rejectsMalformedInputs() {
    LossInputs in = specBatch();
    NDList labels = in.labels(manager, DataType.FLOAT32, DataType.INT64);
    NDList predictions = in.predictions(manager, DataType.FLOAT32);
    SsdLoss loss = new SsdLoss(ratio(3));

    assertThatThrownBy(() -> loss.evaluate(labels, new NDList(predictions.get(0))))
        .hasMessage("predictions must hold 2 arrays (classLogits, boxOffsets), got 1 arrays");
    NDArray wrongOffsets = manager.zeros(new Shape(2, 4, 3));
    assertThatThrownBy(() -> loss.evaluate(labels, new NDList(predictions.get(0), wrongOffsets)))
        .hasMessage("boxOffsets must have shape (2, 4, 4), got (2, 4, 3)");
    NDArray floatIds = manager.zeros(new Shape(2, 4));
    assertThatThrownBy(() -> loss.evaluate(new NDList(floatIds, labels.get(1)), predictions))
        .hasMessage("classIds must be an integer array (int32 or int64), got float32");
    NDArray oneClass = manager.zeros(new Shape(2, 4, 1));
    assertThatThrownBy(() -> loss.evaluate(labels, new NDList(oneClass, predictions.get(1))))
        .hasMessageContaining("classLogits must have shape (B, N, C+1) with C+1 >= 2");
    NDArray doubleOffsets = predictions.get(1).toType(DataType.FLOAT64, false);
    assertThatThrownBy(() -> loss.evaluate(labels, new NDList(predictions.get(0), doubleOffsets)))
        .hasMessage("boxOffsets must have the data type of classLogits (float32), got float64");
  }
}
