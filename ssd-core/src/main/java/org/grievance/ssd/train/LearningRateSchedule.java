package org.grievance.ssd.train;

/**
 * The base learning rate as a function of the optimizer step. The trainer multiplies it by the
 * plateau factor ({@link ReduceLrOnPlateau}) and the post-resume warm-up.
 */
@FunctionalInterface
public interface LearningRateSchedule {
  /**
   * @param step the 0-based index of the update about to be applied
   * @param horizon the planned number of updates of the whole run ({@link Long#MAX_VALUE} when not
   *     known); schedules that decay to an end point (cosine) use it, the others ignore it
   */
  double rate(long step, long horizon);
}
