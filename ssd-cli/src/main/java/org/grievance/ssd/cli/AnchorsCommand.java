package org.grievance.ssd.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.anchor.AnchorGenerator;
import org.grievance.ssd.anchor.AnchorLayer;
import org.grievance.ssd.anchor.Anchors;
import org.grievance.ssd.anchor.FeatureMapSize;
import org.grievance.ssd.anchor.PredictorGeometry;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ssd anchors}: shows the anchor boxes of a model configuration, so users can check that the
 * anchor sizes suit their objects before training.
 */
@Command(
    name = "anchors",
    mixinStandardHelpOptions = true,
    description = {
      "Prints each predictor layer's feature map, step, boxes per cell and anchor sizes, and the"
          + " total anchor count.",
      "--json writes every anchor (normalised cx, cy, w, h); --image with --out draws the anchors"
          + " of one layer's cell on an image (resized to the model input)."
    })
public final class AnchorsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "ssd7|ssd300|ssd512|NAME",
      description = "Model whose anchors to show.")
  String model;

  @Option(
      names = "--image-size",
      paramLabel = "HxW",
      converter = ImageSize.Converter.class,
      description = "Input size (default: 300x480 for ssd7, 300x300, 512x512).")
  ImageSize imageSize;

  @Option(
      names = "--scales",
      defaultValue = "voc",
      paramLabel = "SCALES",
      converter = AnchorScales.ScalesWords.class,
      completionCandidates = AnchorScales.ScalesWords.class,
      description =
          "Anchor scales of ssd300/ssd512: ${COMPLETION-CANDIDATES}, Pascal VOC's or COCO's"
              + " (default: ${DEFAULT-VALUE}).")
  AnchorScales scales;

  @Option(names = "--json", paramLabel = "FILE", description = "Write every anchor as JSON.")
  Path json;

  @Option(names = "--image", paramLabel = "IMG", description = "Image to draw anchors on.")
  Path image;

  @Option(names = "--out", paramLabel = "PNG", description = "Where to write the drawing.")
  Path out;

  @Option(
      names = "--layer",
      defaultValue = "0",
      description = "Predictor layer to draw (0 = shallowest; default: ${DEFAULT-VALUE}).")
  int layer;

  @Option(
      names = "--cell",
      paramLabel = "ROW,COL",
      split = ",",
      description = "Feature-map cell to draw (default: the centre cell).")
  int[] cell;

  @Override
  public Integer call() throws Exception {
    PrintWriter pw = spec.commandLine().getOut();
    AnchorConfig config = config();
    Anchors anchors = AnchorGenerator.generate(config);
    pw.print(table(anchors));
    if (json != null) {
      writeJson(anchors);
      pw.println("anchors written to " + json);
    }
    if (image != null || out != null) {
      if (image == null || out == null) {
        throw new IllegalArgumentException("--image and --out go together");
      }
      draw(anchors);
      pw.println("drawing written to " + out);
    }
    pw.flush();
    return 0;
  }

  AnchorConfig config() {
    String m = model.trim().toLowerCase(Locale.ROOT);
    return switch (m) {
      case "ssd7" -> {
        ImageSize s = imageSize == null ? new ImageSize(300, 480) : imageSize;
        yield AnchorConfig.ssd7(s.height(), s.width());
      }
      case "ssd300" -> resized(scales.ssd300(), PredictorGeometry::ssd300);
      case "ssd512" -> resized(scales.ssd512(), PredictorGeometry::ssd512);
      default -> {
        // Any other registered architecture: its default anchors (unknown names list the known).
        ImageSize s = imageSize == null ? new ImageSize(300, 300) : imageSize;
        yield TrainCommand.architecture(m)
            .defaultDescription(s.height(), s.width(), java.util.List.of("object"))
            .anchors();
      }
    };
  }

  private AnchorConfig resized(
      AnchorConfig preset,
      java.util.function.BiFunction<Integer, Integer, java.util.List<FeatureMapSize>> geometry) {
    if (imageSize == null) {
      return preset;
    }
    return preset.toBuilder()
        .imageSize(imageSize.height(), imageSize.width())
        .predictorSizes(geometry.apply(imageSize.height(), imageSize.width()))
        .build();
  }

  static String table(Anchors anchors) {
    AnchorConfig c = anchors.config();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "input %dx%d (HxW), %d predictor layers, variances %s%n",
            c.imageHeight(),
            c.imageWidth(),
            c.layerCount(),
            c.variances()));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-5s %-9s %-15s %-5s %-7s %s%n",
            "layer",
            "map HxW",
            "step HxW",
            "boxes",
            "anchors",
            "anchor sizes WxH (pixels)"));
    for (AnchorLayer l : anchors.layers()) {
      StringBuilder sizes = new StringBuilder();
      for (int k = 0; k < l.boxesPerCell(); k++) {
        if (k > 0) {
          sizes.append(", ");
        }
        sizes.append(String.format(Locale.ROOT, "%.1fx%.1f", l.width(k), l.height(k)));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "%-5d %-9s %-15s %-5d %-7d %s%n",
              l.index(),
              l.featureMapSize().height() + "x" + l.featureMapSize().width(),
              String.format(Locale.ROOT, "%.2fx%.2f", l.step().h(), l.step().w()),
              l.boxesPerCell(),
              l.count(),
              sizes));
    }
    sb.append(String.format(Locale.ROOT, "total anchors: %d%n", anchors.count()));
    return sb.toString();
  }

  private void writeJson(Anchors anchors) throws java.io.IOException {
    AnchorConfig c = anchors.config();
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("model", model);
    root.put("imageHeight", c.imageHeight());
    root.put("imageWidth", c.imageWidth());
    root.put("count", anchors.count());
    root.put("format", "normalised cx, cy, w, h");
    ArrayNode layers = root.putArray("layers");
    for (AnchorLayer l : anchors.layers()) {
      ObjectNode n = layers.addObject();
      n.put("featureMapHeight", l.featureMapSize().height());
      n.put("featureMapWidth", l.featureMapSize().width());
      n.put("boxesPerCell", l.boxesPerCell());
      n.put("firstAnchor", l.firstAnchor());
      n.put("count", l.count());
    }
    double[] cen = normalisedCentroids(anchors);
    ArrayNode all = root.putArray("anchors");
    for (int i = 0; i < cen.length; i += 4) {
      all.addArray().add(cen[i]).add(cen[i + 1]).add(cen[i + 2]).add(cen[i + 3]);
    }
    AtomicFiles.write(json, mapper.writeValueAsBytes(root));
  }

  private static double[] normalisedCentroids(Anchors anchors) {
    double[] cen = anchors.centroids();
    AnchorConfig c = anchors.config();
    if (!c.normalizeCoords()) {
      for (int i = 0; i < cen.length; i += 4) {
        cen[i] /= c.imageWidth();
        cen[i + 1] /= c.imageHeight();
        cen[i + 2] /= c.imageWidth();
        cen[i + 3] /= c.imageHeight();
      }
    }
    return cen;
  }

  private void draw(Anchors anchors) throws java.io.IOException {
    AnchorConfig c = anchors.config();
    if (layer < 0 || layer >= anchors.layers().size()) {
      throw new IllegalArgumentException(
          "--layer must be in 0.." + (anchors.layers().size() - 1) + ", got " + layer);
    }
    AnchorLayer l = anchors.layers().get(layer);
    FeatureMapSize fm = l.featureMapSize();
    int row = cell == null ? fm.height() / 2 : cell[0];
    int col = cell == null ? fm.width() / 2 : cell.length > 1 ? cell[1] : -1;
    if (row < 0 || row >= fm.height() || col < 0 || col >= fm.width()) {
      throw new IllegalArgumentException(
          "--cell must be ROW,COL inside the "
              + fm.height()
              + "x"
              + fm.width()
              + " feature map of layer "
              + layer);
    }
    BufferedImage src = ImageFiles.read(image).toBufferedImage();
    BufferedImage canvas =
        new BufferedImage(c.imageWidth(), c.imageHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.drawImage(src, 0, 0, c.imageWidth(), c.imageHeight(), null);
      double[] cen = normalisedCentroids(anchors);
      Color[] colours = {
        new Color(230, 25, 75), new Color(60, 180, 75), new Color(0, 130, 200),
        new Color(245, 130, 48), new Color(145, 30, 180), new Color(70, 240, 240)
      };
      g.setStroke(new BasicStroke(2f));
      for (int k = 0; k < l.boxesPerCell(); k++) {
        int i = 4 * l.anchorIndex(row, col, k);
        double w = cen[i + 2] * c.imageWidth();
        double h = cen[i + 3] * c.imageHeight();
        double x = cen[i] * c.imageWidth() - w / 2;
        double y = cen[i + 1] * c.imageHeight() - h / 2;
        g.setColor(colours[k % colours.length]);
        g.draw(new java.awt.geom.Rectangle2D.Double(x, y, w, h));
      }
      g.setColor(Color.YELLOW);
      int i0 = 4 * l.anchorIndex(row, col, 0);
      g.fillOval(
          (int) Math.round(cen[i0] * c.imageWidth()) - 3,
          (int) Math.round(cen[i0 + 1] * c.imageHeight()) - 3,
          6,
          6);
    } finally {
      g.dispose();
    }
    ImageFiles.writePng(canvas, out);
  }
}
