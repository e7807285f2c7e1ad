package org.grievance.ssd.cli;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.data.VocReader;
import org.grievance.ssd.io.KerasH5Weights;
import org.grievance.ssd.io.KerasTensor;
import org.grievance.ssd.model.KerasWeightImport;
import org.grievance.ssd.model.SsdModel;
import org.grievance.ssd.spec.ClassSampling;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.spec.SsdModels;
import org.grievance.ssd.store.ModelDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ssd weights ...}: bring published weights in and adapt a model to other classes. */
@Command(
    name = "weights",
    mixinStandardHelpOptions = true,
    description = "Import Keras weights; sub- or up-sample a model's classes.",
    subcommands = {WeightsCommand.ImportCommand.class, WeightsCommand.SubsampleCommand.class})
public final class WeightsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: import or subsample");
  }

  /** {@code ssd weights import}: a Keras .h5 file → a self-describing model directory. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Reads a Keras .h5 weight file (model.save or save_weights layout, e.g. the ported"
            + " VGG_VOC0712_SSD_300x300_iter_120000.h5) and writes a model directory for predict,"
            + " evaluate, train --init and weights subsample.",
        "Layers are matched by name; layers only in the file are skipped, model layers not in"
            + " the file keep fresh weights (e.g. VGG_ILSVRC_16_layers_fc_reduced.h5 loads the"
            + " base only). A shape mismatch is an error."
      })
  static final class ImportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--keras", required = true, paramLabel = "FILE.h5", description = "Keras file.")
    Path keras;

    @Option(
        names = "--model",
        required = true,
        paramLabel = "ssd300|ssd512",
        description = "Architecture.")
    String model;

    @Option(
        names = "--classes",
        paramLabel = "N|NAME,NAME",
        description =
            "Object classes (background excluded): a count or the names. Default: read from the"
                + " file's class heads (20 → the Pascal VOC names).")
    String classes;

    @Option(
        names = "--anchors",
        paramLabel = "SCALES",
        converter = AnchorScales.AnchorsWords.class,
        completionCandidates = AnchorScales.AnchorsWords.class,
        description =
            "Anchor scales: ${COMPLETION-CANDIDATES} (default: coco for 80 classes, voc"
                + " otherwise).")
    AnchorScales anchors;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR", description = "Output.")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for layers not in the file.")
    long seed;

    @Override
    public Integer call() throws Exception {
      PrintWriter pw = spec.commandLine().getOut();
      String arch = model.trim().toLowerCase(Locale.ROOT);
      if (!arch.equals(SsdModels.SSD300) && !arch.equals(SsdModels.SSD512)) {
        throw new IllegalArgumentException("--model must be ssd300 or ssd512, not '" + model + "'");
      }
      KerasH5Weights weights = KerasH5Weights.read(keras);
      pw.printf(
          Locale.ROOT,
          "%s: %s layout, %d layers (%d with weights), %,d values%n",
          keras,
          weights.layout().name().toLowerCase(Locale.ROOT).replace('_', ' '),
          weights.layerNames().size(),
          weights.weightedLayerNames().size(),
          weights.valueCount());
      List<String> names = classNames(weights);
      AnchorScales scales =
          anchors != null ? anchors : names.size() == 80 ? AnchorScales.COCO : AnchorScales.VOC;
      AnchorConfig anchorConfig = arch.equals(SsdModels.SSD300) ? scales.ssd300() : scales.ssd512();
      ModelDescription description =
          arch.equals(SsdModels.SSD300)
              ? ModelDescription.ssd300(names, anchorConfig)
              : ModelDescription.ssd512(names, anchorConfig);
      try (Model m = Model.newInstance(arch)) {
        SsdModel network = SsdModels.build(description);
        m.setBlock(network);
        Engine.getInstance().setRandomSeed((int) seed);
        network.initialize(m.getNDManager(), DataType.FLOAT32, SsdModels.inputShape(description));
        KerasWeightImport.Report report;
        try {
          report = KerasWeightImport.load(network, weights);
        } catch (IllegalArgumentException e) {
          String hint =
              e.getMessage().contains("_mbox_conf")
                  ? " (to change the classes, import with the file's class count and then run"
                      + " 'ssd weights subsample')"
                  : "";
          throw new IllegalArgumentException(e.getMessage() + hint, e);
        }
        pw.println(report.summary());
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("keras", keras.toAbsolutePath().toString());
        p.put("layout", weights.layout().name().toLowerCase(Locale.ROOT));
        p.put("loaded", report.loaded().size());
        p.put("skipped", String.join(",", report.skipped()));
        p.put("missing", String.join(",", report.missing()));
        ModelDirectory.save(out, m, description.withProvenance("import", p));
      }
      pw.printf(
          Locale.ROOT,
          "wrote %s: %s, %d classes, %s anchors%n",
          out,
          arch,
          names.size(),
          scales.name());
      return 0;
    }

    private List<String> classNames(KerasH5Weights weights) {
      if (classes != null && !classes.isBlank()) {
        String c = classes.trim();
        if (c.chars().allMatch(Character::isDigit)) {
          return defaultNames(Integer.parseInt(c));
        }
        List<String> names = new ArrayList<>();
        for (String n : c.split(",")) {
          names.add(n.trim());
        }
        return names;
      }
      List<KerasTensor> head = weights.tensors("conv4_3_norm_mbox_conf");
      if (head.isEmpty() || head.get(0).shape().length != 4) {
        throw new IllegalArgumentException(
            keras
                + " has no conv4_3_norm_mbox_conf kernel to read the class count from (base"
                + " weights only?): give --classes");
      }
      int channels = head.get(0).shape()[3];
      if (channels % 4 != 0) {
        throw new IllegalArgumentException(
            "conv4_3_norm_mbox_conf has " + channels + " channels, not 4 boxes per cell");
      }
      return defaultNames(channels / 4 - 1);
    }

    private static List<String> defaultNames(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("--classes must be >= 1, got " + n);
      }
      if (n == VocReader.VOC_CLASSES.size()) {
        return VocReader.VOC_CLASSES;
      }
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        names.add("class_" + i);
      }
      return names;
    }
  }

  /** {@code ssd weights subsample}: keep, reorder or add classes of a model directory. */
  @Command(
      name = "subsample",
      mixinStandardHelpOptions = true,
      description = {
        "Keeps the chosen classes of a model in every class head, box group by box group (the"
            + " reference's weight sampling), e.g. --classes 0,3,8,1 keeps background, classes"
            + " 3, 8 and 1 in that order. 'new' adds a freshly initialised class (up-sampling);"
            + " class names of the model may be used instead of indices.",
        "Works on imported and trained models (any architecture); anchors and box heads are"
            + " unchanged."
      })
  static final class SubsampleCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "MODEL_DIR", description = "Source.")
    Path in;

    @Option(
        names = "--classes",
        required = true,
        paramLabel = "0,ID|NAME|new,...",
        description = "Background (0) first, then the old class ids or names, or 'new'.")
    String classes;

    @Option(
        names = "--names",
        paramLabel = "NAME,...",
        description =
            "Names of the resulting classes (default: the old names, new_J for new ones).")
    String names;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR", description = "Output.")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for new classes.")
    long seed;

    @Override
    public Integer call() throws Exception {
      PrintWriter pw = spec.commandLine().getOut();
      ModelDirectory dir = ModelDirectory.open(in);
      ModelDescription old = dir.description();
      int[] source = parseClasses(old.classNames());
      List<String> newNames = resultNames(old.classNames(), source);
      ObjectNode p = JsonNodeFactory.instance.objectNode();
      p.put("from", dir.checkpoint().toAbsolutePath().toString());
      p.put("classes", classes);
      ModelDescription target =
          ClassSampling.describe(old, source, newNames).withProvenance("subsample", p);
      try (Model oldModel = dir.loadModel();
          Model m = Model.newInstance(target.architecture())) {
        SsdModel sampled =
            ClassSampling.resample(
                (SsdModel) oldModel.getBlock(), target, source, m.getNDManager(), seed);
        m.setBlock(sampled);
        ModelDirectory.save(out, m, target);
      }
      pw.printf(
          Locale.ROOT,
          "wrote %s: %d classes %s (from %d)%n",
          out,
          newNames.size(),
          newNames,
          old.classCount());
      return 0;
    }

    private int[] parseClasses(List<String> oldNames) {
      String[] tokens = classes.split(",");
      int[] out = new int[tokens.length];
      for (int i = 0; i < tokens.length; i++) {
        String t = tokens[i].trim();
        int byName = oldNames.indexOf(t);
        if (byName >= 0) {
          out[i] = byName + 1;
        } else if (t.equalsIgnoreCase("background")) {
          out[i] = 0;
        } else {
          out[i] = ClassSampling.parse(t)[0];
        }
      }
      return out;
    }

    private List<String> resultNames(List<String> oldNames, int[] source) {
      if (names != null && !names.isBlank()) {
        List<String> given = new ArrayList<>();
        for (String n : names.split(",")) {
          given.add(n.trim());
        }
        return given;
      }
      List<String> out = new ArrayList<>();
      for (int j = 1; j < source.length; j++) {
        if (source[j] != ClassSampling.NEW) {
          out.add(oldNames.get(source[j] - 1));
          continue;
        }
        String name = "new_" + j;
        for (int k = 2; oldNames.contains(name); k++) {
          name = "new_" + j + "_" + k;
        }
        out.add(name);
      }
      return out;
    }
  }
}
