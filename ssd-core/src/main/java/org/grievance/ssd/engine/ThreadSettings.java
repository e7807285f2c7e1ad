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

  /** The current intra-op thread count, or -1 for other engines. */
  public static int current(Engine engine) {
    return "PyTorch".equals(engine.getEngineName()) ? JniUtils.getNumThreads() : -1;
  }
}
