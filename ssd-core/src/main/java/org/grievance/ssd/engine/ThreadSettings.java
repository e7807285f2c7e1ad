package org.grievance.ssd.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's intra-op thread count. DJL reads the system property {@code ai.djl.pytorch.num_threads}
 * only when the engine starts; {@link JniUtils#setNumThreads} ({@code torch::set_num_threads}) can
 * change it at any time, for the whole process. (Inter-op threads can only be set before the first
 * parallel operation, so they are left to {@code ai.djl.pytorch.num_interop_threads}.)
 */
public final class ThreadSettings {
  private ThreadSettings() {}

  /**
   * Sets the intra-op threads if {@code engine} is PyTorch.
   *
   * @return whether the setting was applied
   */
  public static boolean apply(Engine engine, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (!"PyTorch".equals(engine.getEngineName())) {
      return false;
    }
    JniUtils.setNumThreads(threads);
    return true;
  }

  /**
   * Turns off gradient recording on the calling thread if {@code engine} is PyTorch. PyTorch's grad
   * mode is per thread: DJL turns it off on the thread that starts the engine (and a gradient
   * collector turns it on and off again), but every other thread starts with it on. Inference on
   * such a thread (a Spark task's, a pool's) would record autograd graphs for nothing, and folding
   * weights in place there fails outright ("a leaf Variable that requires grad is being used in an
   * in-place operation"). Cheap: call it wherever inference may start on a new thread.
   */
  public static void inferenceOnThisThread(Engine engine) {
    if ("PyTorch".equals(engine.getEngineName())) {
      JniUtils.setGradMode(false);
    }
  }

  /** The current intra-op thread count, or -1 for other engines. */
  public static int current(Engine engine) {
    return "PyTorch".equals(engine.getEngineName()) ? JniUtils.getNumThreads() : -1;
  }
}
