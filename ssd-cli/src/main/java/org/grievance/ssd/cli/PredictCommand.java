package org.grievance.ssd.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.grievance.ssd.decode.DecoderKind;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.infer.DetectionPainter;
import org.grievance.ssd.infer.DetectionWriter;
import org.grievance.ssd.infer.Detector;
import org.grievance.ssd.infer.DetectorOptions;
import org.grievance.ssd.infer.ImageDetections;
import org.grievance.ssd.infer.Tiling;
import org.grievance.ssd.spec.DecoderDefaults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ssd predict}: runs a trained model on images, prints what it finds, and optionally writes
 * annotated copies and the predict JSON ({@link DetectionWriter}).
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Detects objects in images with a trained model.",
      "Directories are scanned recursively for jpg/jpeg/png/webp/bmp/gif files (heic/heif/avif"
          + " files too, to be reported as unsupported). Photos are turned upright by their EXIF"
          + " orientation; boxes, annotated copies and the JSON's image size are in that displayed"
          + " frame, in the pixels of the original images."
    })
public final class PredictCommand implements Callable<Integer> {
  /** JPEG quality of annotated copies of JPEG inputs. */
  private static final float JPEG_QUALITY = 0.92f;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "RUN_DIR",
      description = "Run directory (best/, else last/) or checkpoint directory.")
  Path model;

  @Parameters(arity = "1..*", paramLabel = "IMAGES_OR_DIRS", description = "Images or folders.")
  List<Path> inputs;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Write annotated copies here, under the same names (JPEG stays JPEG, other formats"
              + " become PNG).")
  Path out;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description =
          "Write the detections as JSON, one ssd-detections/1 document per image: [{\"schema\","
              + " \"image\", \"imageWidth\", \"imageHeight\", \"detections\": [{\"classId\","
              + " \"class\", \"score\", \"box\": {xmin, ymin, xmax, ymax}}]}].")
  Path json;

  @Option(
      names = "--threads",
      defaultValue = "0",
      paramLabel = "N",
      description = "PyTorch intra-op threads; 0 keeps the engine's default.")
  int threads;

  @Mixin DecodingOptions decoding;

  @Mixin TilingOptions tilingOptions;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Tiling tiling = tilingOptions.tiling();
    DetectorOptions options =
        DetectorOptions.builder()
            .decoder(decoding.decoder == null ? null : DecoderKind.parse(decoding.decoder))
            .confidenceThreshold(decoding.threshold)
            .iouThreshold(decoding.nmsIou)
            .topK(decoding.topK)
            .batchSize(decoding.batchSize)
            .threads(threads)
            .tiling(tiling)
            .build();
    List<ImageInputs.Input> images = ImageInputs.collect(inputs, out);
    if (images.isEmpty()) {
      throw new IllegalArgumentException("no images (jpg, jpeg, png, webp, bmp, gif) in " + inputs);
    }
    Map<Path, Path> targets = outputFiles(images);

    List<ImageDetections> results = new ArrayList<>();
    Map<String, Integer> perClass = new TreeMap<>();
    int failed = 0;
    long start = 0;
    if (tiling != null) {
      stdout.println("tiles: " + tiling);
    }
    try (Detector detector = Detector.load(model, options)) {
      printClassThresholds(stdout, detector);
      start = System.nanoTime(); // timing per image, without loading the model
      for (int from = 0; from < images.size(); from += decoding.batchSize) {
        List<ImageInputs.Input> chunk =
            images.subList(from, Math.min(images.size(), from + decoding.batchSize));
        List<ImageInputs.Input> read = new ArrayList<>();
        List<RgbImage> pixels = new ArrayList<>();
        for (ImageInputs.Input in : chunk) {
          try {
            pixels.add(ImageFiles.read(in.file()));
            read.add(in);
          } catch (IOException e) {
            stderr.println("error: " + SsdCli.describe(e));
            failed++;
          }
        }
        List<List<Detection>> found = detector.detect(pixels);
        for (int i = 0; i < read.size(); i++) {
          ImageInputs.Input in = read.get(i);
          RgbImage img = pixels.get(i);
          List<Detection> dets = found.get(i);
          results.add(new ImageDetections(in.file().toString(), img.width(), img.height(), dets));
          dets.forEach(d -> perClass.merge(d.className(), 1, Integer::sum));
          stdout.println(in.file() + ": " + summary(dets));
          if (out != null) {
            write(DetectionPainter.annotate(img, dets), targets.get(in.file()));
          }
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int total = perClass.values().stream().mapToInt(Integer::intValue).sum();
    stdout.printf(
        "%d %s, %d detections%s in %.1f s (%.0f ms/image)%n",
        results.size(),
        results.size() == 1 ? "image" : "images",
        total,
        perClass.isEmpty() ? "" : " (" + byClass(perClass) + ")",
        seconds,
        results.isEmpty() ? 0 : 1000 * seconds / results.size());
    if (json != null) {
      DetectionWriter.write(json, results);
      stdout.println("detections: " + json);
    }
    if (out != null) {
      stdout.println("annotated images: " + out);
    }
    if (failed > 0) {
      stderr.println(failed + " image(s) could not be read");
      return 1;
    }
    return 0;
  }

  /** Says which per-class thresholds from the model are in effect, if any. */
  private static void printClassThresholds(PrintWriter stdout, Detector detector) {
    DecoderDefaults decoder = detector.options().resolve(detector.description().decoder());
    if (decoder.classThresholds().isEmpty()) {
      return;
    }
    List<String> parts = new ArrayList<>();
    decoder.classThresholds().forEach((name, t) -> parts.add(name + " " + t));
    if (decoder.classThresholds().size() < detector.description().classCount()) {
      parts.add("others " + decoder.confidenceThreshold());
    }
    stdout.println(
        "per-class thresholds from the model: "
            + String.join(", ", parts)
            + " (--threshold replaces them)");
  }

  /** Where each input's annotated copy goes; fails before any work if two would collide. */
  private Map<Path, Path> outputFiles(List<ImageInputs.Input> images) {
    Map<Path, Path> targets = new HashMap<>();
    if (out == null) {
      return targets;
    }
    Map<Path, Path> byTarget = new HashMap<>();
    for (ImageInputs.Input in : images) {
      Path target = out.resolve(outputName(in.relative())).normalize();
      Path earlier = byTarget.putIfAbsent(target, in.file());
      if (earlier != null) {
        throw new IllegalArgumentException(
            in.file()
                + " and "
                + earlier
                + " would both be written to "
                + target
                + "; run them separately or pass their directories");
      }
      targets.put(in.file(), target);
    }
    return targets;
  }

  /** JPEG and PNG inputs keep their name; every other format is written as PNG. */
  static Path outputName(Path relative) {
    String ext = ImageInputs.extension(relative);
    if (ext.equals("jpg") || ext.equals("jpeg") || ext.equals("png")) {
      return relative;
    }
    String name = relative.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String png = (dot < 0 ? name : name.substring(0, dot)) + ".png";
    return relative.resolveSibling(png);
  }

  private static void write(BufferedImage image, Path target) throws IOException {
    String ext = ImageInputs.extension(target);
    if (ext.equals("jpg") || ext.equals("jpeg")) {
      ImageFiles.writeJpeg(image, target, JPEG_QUALITY);
    } else {
      ImageFiles.writePng(image, target);
    }
  }

  private static String byClass(Map<String, Integer> counts) {
    StringBuilder sb = new StringBuilder();
    counts.forEach(
        (name, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(name).append(' ').append(n));
    return sb.toString();
  }

  /** {@code 3 detections: car 0.91, person 0.55, car 0.52} (at most five listed). */
  static String summary(List<Detection> detections) {
    if (detections.isEmpty()) {
      return "no detections";
    }
    StringBuilder sb = new StringBuilder();
    sb.append(detections.size()).append(detections.size() == 1 ? " detection: " : " detections: ");
    int shown = Math.min(5, detections.size());
    for (int i = 0; i < shown; i++) {
      Detection d = detections.get(i);
      sb.append(i == 0 ? "" : ", ").append(d.className());
      sb.append(String.format(java.util.Locale.ROOT, " %.2f", d.score()));
    }
    if (shown < detections.size()) {
      sb.append(", ...");
    }
    return sb.toString();
  }
}
