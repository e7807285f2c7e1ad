package org.grievance.ssd.training;

/**
 * What a run may use of the machine; unlike the {@link TrainingRecipe} it changes the speed of a
 * run, not the model it trains.
 *
 * @param loaderThreads threads decoding and augmenting images, {@code >= 1}
 * @param modelThreads PyTorch intra-op threads, {@code >= 1}
 * @param cacheImages keep decoded, resized images in memory (within the loader's budget)
 */
public record MachineResources(int loaderThreads, int modelThreads, boolean cacheImages) {
  /** Validates the thread counts. */
  public MachineResources {
    if (loaderThreads < 1 || modelThreads < 1) {
      throw new IllegalArgumentException(
          "loaderThreads and modelThreads must be >= 1, got "
              + loaderThreads
              + ", "
              + modelThreads);
    }
  }

  /** One loader and one model thread per core, images cached: what {@code ssd train} uses. */
  public static MachineResources ofThisMachine() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new MachineResources(cores, cores, true);
  }
}
