package org.grievance.ssd.spark;

import java.io.Serializable;
import org.grievance.ssd.decode.DecoderKind;
import org.grievance.ssd.infer.DetectorOptions;
import org.grievance.ssd.infer.Tiling;

/**
 * The detector options of a batch job in a form Spark can ship to the executors ({@link
 * DetectorOptions} and {@link Tiling} are not serialisable, and need not be): each executor builds
 * its options from these. Equal settings mean the same detector, so they key the per-JVM cache of
 * {@link ExecutorDetectors}.
 *
 * @param threshold minimum confidence, {@code null} for the model's
 * @param nmsIou NMS IoU, {@code null} for the model's
 * @param topK at most this many detections per image, {@code null} for the model's
 * @param decoder {@code per-class} or {@code fast}, {@code null} for the model's
 * @param batchSize images (with tiles: tiles of one image) per forward pass
 * @param threads PyTorch intra-op threads per executor JVM, 0 for the engine's default
 * @param tiles {@code auto} or {@code RxC}, {@code null} for the whole image only
 * @param tileOverlap the tiles' overlap (ignored without tiles)
 */
public record DetectorSettings(
    Double threshold,
    Double nmsIou,
    Integer topK,
    String decoder,
    int batchSize,
    int threads,
    String tiles,
    double tileOverlap)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Validates by building the options once, so a bad value fails on the driver, not in a task. */
  public DetectorSettings {
    toOptions(threshold, nmsIou, topK, decoder, batchSize, threads, tiles, tileOverlap);
  }

  /** Settings that ask for the tiling {@code tiling} ({@code null}: none) and nothing else. */
  public static DetectorSettings of(Tiling tiling, int batchSize, int threads) {
    return new DetectorSettings(
        null,
        null,
        null,
        null,
        batchSize,
        threads,
        tiling == null ? null : tiling.gridText(),
        tiling == null ? Tiling.DEFAULT_OVERLAP : tiling.overlap());
  }

  /** The detector options these settings stand for. */
  public DetectorOptions toOptions() {
    return toOptions(threshold, nmsIou, topK, decoder, batchSize, threads, tiles, tileOverlap);
  }

  private static DetectorOptions toOptions(
      Double threshold,
      Double nmsIou,
      Integer topK,
      String decoder,
      int batchSize,
      int threads,
      String tiles,
      double tileOverlap) {
    return DetectorOptions.builder()
        .decoder(decoder == null ? null : DecoderKind.parse(decoder))
        .confidenceThreshold(threshold)
        .iouThreshold(nmsIou)
        .topK(topK)
        .batchSize(batchSize)
        .threads(threads)
        .tiling(tiles == null ? null : Tiling.parse(tiles, tileOverlap))
        .build();
  }
}
