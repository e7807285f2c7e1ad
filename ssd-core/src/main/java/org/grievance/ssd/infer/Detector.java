package org.grievance.ssd.infer;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.grievance.ssd.anchor.AnchorGenerator;
import org.grievance.ssd.anchor.Anchors;
import org.grievance.ssd.augment.Background;
import org.grievance.ssd.augment.CropPad;
import org.grievance.ssd.augment.Labeled;
import org.grievance.ssd.augment.Resize;
import org.grievance.ssd.decode.DecoderConfig;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.decode.DetectionDecoder;
import org.grievance.ssd.engine.NativeAllocator;
import org.grievance.ssd.engine.ThreadSettings;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.model.InputPreprocessing;
import org.grievance.ssd.model.SsdModel;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.store.ModelDirectory;

/**
 * Runs a trained SSD on images: each image is resized (bilinear, as in training) to the model's
 * input size, the network runs with batch normalisation folded into the convolutions, the class
 * logits go through a softmax, and the decoder maps the boxes back to the <em>original</em> image's
 * pixels ({@link DetectionDecoder#decodeToFrame}). Boxes are not clipped to the image, as in the
 * reference.
 *
 * <p><b>Tiles.</b> With a {@link Tiling} (in the options, or per call) a large image is also cut
 * into overlapping tiles of about the model's input size ({@link TilePlanner}), so that small
 * objects reach the network with their own pixels rather than shrunk with the whole photo; the
 * tiles and the whole image go through the network {@link DetectorOptions#batchSize()} at a time,
 * each is decoded in its own frame, and {@link TileMerger} merges the passes.
 *
 * <p><b>Memory.</b> Every array of a call lives in a sub-manager closed before the call returns;
 * only the folded weights stay, until {@link #close()}.
 *
 * <p><b>Threads.</b> {@link #detect} may be called from several threads at once: each call has its
 * own sub-manager and parameter store, the network's weights are only read (inference mode, no
 * gradients), and the decoder is immutable. Calls do not wait for each other; PyTorch's intra-op
 * thread pool (see {@link DetectorOptions#threads()}) is shared by the whole process, so running
 * many calls in parallel mainly helps with small batches. PyTorch records gradients per thread, on
 * by default on every thread but the engine's: loading and every call turn it off on the calling
 * thread ({@link ThreadSettings#inferenceOnThisThread}), so pools and Spark tasks run inference as
 * the main thread does.
 */
public final class Detector implements AutoCloseable {
  private final Model model;
  private final boolean ownsModel;
  private final NDManager weights;
  private final SsdModel network;
  private final ModelDescription description;
  private final DetectorOptions options;
  private final DecoderConfig decoderConfig;
  private final DetectionDecoder decoder;
  private final TileMerger merger;
  private final Resize resize;
  private final int inputHeight;
  private final int inputWidth;
  private final int anchorCount;
  private final int columns;
  private volatile boolean closed;

  private Detector(
      Model model, boolean ownsModel, ModelDescription description, DetectorOptions options) {
    if (!(model.getBlock() instanceof SsdModel trained) || !trained.isInitialized()) {
      throw new IllegalArgumentException(
          "the model's block must be an initialised SsdModel, got " + model.getBlock());
    }
    this.model = model;
    this.ownsModel = ownsModel;
    this.description = Objects.requireNonNull(description, "description");
    this.options = Objects.requireNonNull(options, "options");
    this.inputHeight = description.inputHeight();
    this.inputWidth = description.inputWidth();
    Anchors anchors = AnchorGenerator.generate(description.anchors());
    this.anchorCount = anchors.count();
    this.columns = description.classCount() + 1;
    if (trained.anchorCount(inputHeight, inputWidth) != anchorCount
        || trained.classesWithBackground() != columns) {
      throw new IllegalArgumentException(
          "the network does not fit its description: it predicts "
              + trained.anchorCount(inputHeight, inputWidth)
              + " boxes of "
              + trained.classesWithBackground()
              + " classes, the description has "
              + anchorCount
              + " anchors and "
              + columns
              + " classes with background");
    }
    this.decoderConfig = options.decoderConfig(description);
    this.decoder =
        options
            .resolve(description.decoder())
            .kind()
            .create(anchors.boxes(), anchors.variances(), decoderConfig);
    this.merger = TileMerger.of(decoderConfig);
    this.resize = new Resize(inputHeight, inputWidth);
    NativeAllocator.warnOnceIfSlow();
    if (options.threads() > 0) {
      ThreadSettings.apply(model.getNDManager().getEngine(), options.threads());
    }
    ThreadSettings.inferenceOnThisThread(model.getNDManager().getEngine());
    this.weights = model.getNDManager().newSubManager();
    try {
      this.network = trained.foldBatchNorm(weights);
    } catch (RuntimeException e) {
      weights.close();
      throw e;
    }
  }

  /**
   * Loads the model in {@code modelOrRunDir} (a run directory, a checkpoint directory or its {@code
   * model.json}; see {@link ModelDirectory}).
   */
  public static Detector load(Path modelOrRunDir, DetectorOptions options) throws IOException {
    ModelDirectory dir = ModelDirectory.open(modelOrRunDir);
    Model model = dir.loadModel();
    try {
      return new Detector(model, true, dir.description(), options);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * A detector over a model in memory (e.g. right after training) whose block is the initialised
   * {@link SsdModel} that {@code description} describes. The caller keeps the model and must keep
   * it open while the detector is used; {@link #close()} frees only the detector's own arrays.
   */
  public static Detector of(Model model, ModelDescription description, DetectorOptions options) {
    return new Detector(model, false, description, options);
  }

  public ModelDescription description() {
    return description;
  }

  public DetectorOptions options() {
    return options;
  }

  /** The decoder settings in effect (options applied over the model's defaults). */
  public DecoderConfig decoderConfig() {
    return decoderConfig;
  }

  /** Detections in {@code image}'s pixels, best first. */
  public List<Detection> detect(RgbImage image) {
    return detect(List.of(image)).get(0);
  }

  /**
   * Detections in {@code image}'s pixels, best first, with {@code tiling} instead of the options'
   * ({@code null}: the whole image only).
   */
  public List<Detection> detect(RgbImage image, Tiling tiling) {
    requireOpen();
    ThreadSettings.inferenceOnThisThread(model.getNDManager().getEngine());
    Objects.requireNonNull(image, "image");
    return tiling == null ? detectBatch(List.of(image)).get(0) : detectTiled(image, tiling);
  }

  /**
   * Detections for each image, in order, each in its own image's pixels; images may have different
   * sizes. Runs {@link DetectorOptions#batchSize()} images per forward pass, or, with {@link
   * DetectorOptions#tiling()}, one image at a time, that many of its tiles per pass.
   */
  public List<List<Detection>> detect(List<RgbImage> images) {
    requireOpen();
    ThreadSettings.inferenceOnThisThread(model.getNDManager().getEngine());
    for (int i = 0; i < images.size(); i++) {
      Objects.requireNonNull(images.get(i), "image " + i);
    }
    List<List<Detection>> out = new ArrayList<>(images.size());
    if (options.tiling() != null) {
      for (RgbImage image : images) {
        out.add(detectTiled(image, options.tiling()));
      }
      return out;
    }
    for (int start = 0; start < images.size(); start += options.batchSize()) {
      List<RgbImage> batch =
          images.subList(start, Math.min(images.size(), start + options.batchSize()));
      out.addAll(detectBatch(batch));
    }
    return out;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the detector is closed");
    }
  }

  /**
   * The tiles of {@code tiling} and the whole image, batched through the network, each decoded in
   * its own frame, moved into the image's and merged; the whole image alone when the plan has no
   * tiles. Tiles are cut one batch at a time, so a 12-megapixel photo never holds all its crops.
   */
  private List<Detection> detectTiled(RgbImage image, Tiling tiling) {
    List<Tile> passes =
        new ArrayList<>(
            TilePlanner.plan(tiling, image.height(), image.width(), inputHeight, inputWidth));
    if (passes.isEmpty()) {
      return detectBatch(List.of(image)).get(0);
    }
    passes.add(Tile.whole(image.height(), image.width()));
    List<TileDetections> found = new ArrayList<>(passes.size());
    for (int start = 0; start < passes.size(); start += options.batchSize()) {
      List<Tile> batch =
          passes.subList(start, Math.min(passes.size(), start + options.batchSize()));
      List<RgbImage> crops = new ArrayList<>(batch.size());
      for (Tile t : batch) {
        crops.add(crop(image, t));
      }
      List<List<Detection>> inTiles = detectBatch(crops);
      for (int i = 0; i < batch.size(); i++) {
        found.add(TileDetections.fromTileFrame(batch.get(i), inTiles.get(i)));
      }
    }
    return merger.merge(image.height(), image.width(), found);
  }

  private static RgbImage crop(RgbImage image, Tile t) {
    if (t.x() == 0 && t.y() == 0 && t.width() == image.width() && t.height() == image.height()) {
      return image;
    }
    return new CropPad(t.y(), t.x(), t.height(), t.width(), false, null, Background.BLACK)
        .apply(Labeled.of(image), null)
        .image();
  }

  /**
   * One forward pass over {@code images}. No array of the batch's size lives on the Java heap: the
   * input is written straight into a direct buffer that the tensor uses as it is, and the outputs
   * are read one image at a time. Batch-sized float arrays (8.8 MB for 8 images at 240x384) are
   * "humongous" objects to G1, and a training run's validation mAP allocating a few hundred of them
   * made the collector grow the heap by about 200 MB at a time (docs/training.md, "Memory").
   */
  private List<List<Detection>> detectBatch(List<RgbImage> images) {
    int b = images.size();
    int plane = inputHeight * inputWidth;
    int perImage = InputPreprocessing.CHANNELS * plane;
    ByteBuffer input =
        ByteBuffer.allocateDirect(Math.multiplyExact(Math.multiplyExact(b, perImage), Float.BYTES))
            .order(ByteOrder.nativeOrder());
    FloatBuffer floats = input.asFloatBuffer();
    float[] channel = new float[plane];
    for (int i = 0; i < b; i++) {
      writeNchw(resized(images.get(i)), floats, i * perImage, channel);
    }
    float[][] probabilities = new float[b][];
    float[][] offsets = new float[b][];
    try (NDManager call = weights.newSubManager()) {
      NDArray x =
          call.create(
              input,
              new Shape(b, InputPreprocessing.CHANNELS, inputHeight, inputWidth),
              DataType.FLOAT32);
      NDList y = network.forward(new ParameterStore(call, false), new NDList(x), false);
      NDArray scores = y.get(0).softmax(-1);
      for (int i = 0; i < b; i++) {
        probabilities[i] = scores.get(i).toFloatArray();
        offsets[i] = y.get(1).get(i).toFloatArray();
      }
      // The tensor points into the buffer (no copy): keep it alive until the outputs are read.
      Reference.reachabilityFence(input);
    }
    List<List<Detection>> out = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      RgbImage img = images.get(i);
      out.add(
          decoder.decodeToFrame(
              probabilities[i], offsets[i], inputHeight, inputWidth, img.height(), img.width()));
    }
    return out;
  }

  /** The image at the network's input size (bilinear, as the training pipeline resizes). */
  RgbImage resized(RgbImage image) {
    return resize.apply(Labeled.of(image), null).image();
  }

  /**
   * Interleaved RGB bytes to planar floats 0–255 at {@code out[offset..]}, one channel at a time
   * through {@code channel} (a scratch array of one plane).
   */
  static void writeNchw(RgbImage image, FloatBuffer out, int offset, float[] channel) {
    byte[] px = image.data();
    int plane = image.height() * image.width();
    for (int c = 0; c < InputPreprocessing.CHANNELS; c++) {
      for (int p = 0, k = c; p < plane; p++, k += 3) {
        channel[p] = px[k] & 0xFF;
      }
      out.put(offset + c * plane, channel, 0, plane);
    }
  }

  /** Frees the folded weights, and the model if this detector loaded it. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    weights.close();
    if (ownsModel) {
      model.close();
    }
  }
}
