package org.grievance.ssd.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.grievance.ssd.train.L2Regularization;
import org.junit.jupiter.api.Test;

class SsdModelTrainingTest {
  @Test
  void adamStepGivesFiniteGradientsAndMovesEveryTrainableParameter() {
    Engine.getInstance().setRandomSeed(5);
    try (NDManager manager = NDManager.newBaseManager()) {
      SsdModel model = Ssd7.create(manager, Ssd7.Config.defaults(5), 96, 128);
      Map<String, float[]> before = new HashMap<>();
      for (Pair<String, Parameter> p : model.getParameters()) {
        before.put(p.getKey(), p.getValue().getArray().toFloatArray());
      }
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
      try (NDManager step = manager.newSubManager()) {
        NDArray images = step.randomUniform(0f, 255f, new Shape(2, 3, 96, 128));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDList out = model.forward(new ParameterStore(step, false), new NDList(images), true);
          NDArray loss = out.get(0).square().mean().add(out.get(1).abs().mean());
          assertThat(loss.getFloat()).isFinite();
          collector.backward(loss);
        }
        for (Pair<String, Parameter> p : model.getParameters()) {
          Parameter param = p.getValue();
          if (!param.requiresGradient()) {
            continue;
          }
          NDArray grad = param.getArray().getGradient();
          grad.attach(step);
          assertThat(grad.isNaN().any().getBoolean())
              .as("NaN gradient of %s", p.getKey())
              .isFalse();
          assertThat(grad.isInfinite().any().getBoolean()).as(p.getKey()).isFalse();
          assertThat(grad.abs().max().getFloat())
              .as("gradient of %s", p.getKey())
              .isPositive()
              .isLessThan(1e3f);
          adam.update(param.getId(), param.getArray(), grad);
        }
      }
      for (Pair<String, Parameter> p : model.getParameters()) {
        float[] after = p.getValue().getArray().toFloatArray();
        float[] old = before.get(p.getKey());
        double change = 0;
        for (int i = 0; i < after.length; i++) {
          change = Math.max(change, Math.abs(after[i] - old[i]));
        }
        // Running statistics move too: the training-mode forward updated them.
        assertThat(change).as("largest change of %s", p.getKey()).isPositive();
      }
    }
  }

  @Test
  void batchNormUpdatesMovingStatisticsWithKerasMomentum() {
    Engine.getInstance().setRandomSeed(6);
    try (NDManager manager = NDManager.newBaseManager()) {
      SsdModel model = Ssd7.create(manager, Ssd7.Config.defaults(1), 64, 64);
      try (NDManager step = manager.newSubManager()) {
        NDArray images = step.randomUniform(0f, 1f, new Shape(3, 3, 64, 64));
        Conv2d conv1 = (Conv2d) model.layer("conv1");
        NDArray pre =
            Conv2d.conv2d(
                    images,
                    conv1.getDirectParameters().get("weight").getArray(),
                    conv1.getDirectParameters().get("bias").getArray(),
                    new Shape(1, 1),
                    new Shape(2, 2))
                .head();
        // Per-channel batch statistics of conv1's output, computed here in plain Java.
        float[] values = pre.toFloatArray();
        int channels = 32;
        int plane = 64 * 64;
        double[] batchMean = new double[channels];
        double[] batchVar = new double[channels];
        long n = 3L * plane;
        for (int c = 0; c < channels; c++) {
          double sum = 0;
          for (int b = 0; b < 3; b++) {
            for (int i = 0; i < plane; i++) {
              sum += values[(b * channels + c) * plane + i];
            }
          }
          double mean = sum / n;
          double sq = 0;
          for (int b = 0; b < 3; b++) {
            for (int i = 0; i < plane; i++) {
              double d = values[(b * channels + c) * plane + i] - mean;
              sq += d * d;
            }
          }
          batchMean[c] = mean;
          batchVar[c] = sq / (n - 1); // Keras/TF feed the unbiased variance into the average
        }

        model.forward(new ParameterStore(step, false), new NDList(images), true);

        var bn1 = model.layer("bn1").getDirectParameters();
        float[] movingMean = bn1.get("runningMean").getArray().toFloatArray();
        float[] movingVar = bn1.get("runningVar").getArray().toFloatArray();
        for (int c = 0; c < batchMean.length; c++) {
          // moving = m * moving + (1 - m) * batch, from the initial mean 0 and variance 1
          double m = Ssd7Base.BN_MOMENTUM;
          assertThat((double) movingMean[c]).isCloseTo((1 - m) * batchMean[c], within(1e-5));
          assertThat((double) movingVar[c])
              .isCloseTo(m + (1 - m) * batchVar[c], within(1e-5 * Math.max(1, batchVar[c])));
        }
      }
    }
  }

  @Test
  void l2PenaltyCoversExactlyTheConvolutionKernels() {
    try (NDManager manager = NDManager.newBaseManager()) {
      SsdModel model = Ssd7.create(manager, Ssd7.Config.defaults(5), 64, 64);
      List<Parameter> kernels = model.convolutionKernels();
      assertThat(kernels).hasSize(7 + 8);
      assertThat(kernels).allMatch(p -> p.getType() == Parameter.Type.WEIGHT);
      long values = kernels.stream().mapToLong(p -> p.getShape().size()).sum();
      // 213,904 minus 1,344 BN values minus the biases (base 336, heads 4 * (24 + 16) = 160).
      assertThat(values).isEqualTo(213_904 - 1_344 - 336 - 160);

      double sumSquares = 0;
      for (Parameter p : kernels) {
        for (float v : p.getArray().toFloatArray()) {
          sumSquares += (double) v * v;
        }
      }
      try (NDManager sub = manager.newSubManager()) {
        float lambda = 5e-4f;
        assertThat(L2Regularization.convKernels(model, lambda).compute(sub, true).getFloat())
            .isCloseTo((float) (lambda * sumSquares), within((float) (lambda * sumSquares * 1e-5)));
        NDArray penalty;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          penalty = L2Regularization.convKernels(model, lambda).compute(sub, true);
          collector.backward(penalty);
        }
        assertThat(penalty.getManager()).isSameAs(sub);
        Parameter conv3 = model.layer("conv3").getDirectParameters().get("weight");
        NDArray grad = conv3.getArray().getGradient();
        grad.attach(sub);
        NDArray expected = conv3.getArray().mul(2 * lambda);
        expected.attach(sub);
        assertThat(grad.allClose(expected, 1e-5, 1e-9, false)).isTrue();
        NDArray biasGrad =
            model.layer("conv3").getDirectParameters().get("bias").getArray().getGradient();
        biasGrad.attach(sub);
        assertThat(biasGrad.abs().max().getFloat()).as("biases are not regularised").isZero();
      }
    }
  }

  @Test
  void kernelsListIsInNetworkOrder() {
    SsdModel model = Ssd7.build(Ssd7.Config.defaults(5));
    List<Parameter> kernels = model.convolutionKernels();
    List<Parameter> expected = new ArrayList<>();
    for (String name : model.layers().keySet()) {
      if (model.layer(name) instanceof Conv2d) {
        expected.add(model.layer(name).getDirectParameters().get("weight"));
      }
    }
    assertThat(kernels).containsExactlyElementsOf(expected);
  }
}
